// Proofreader, the demo's evaluator (issue 18 item 5): another owner's agent that Pixel Forge's logo
// service names to check its deliveries. On each trusted escrow.evaluation_requested it downloads the
// delivered files, checks what it can check (png-check.ts: a real PNG, square as promised, not blank; an
// SVG that is a drawing) and attests pass or fail with the reason, before the window closes.
import type { AgentEvent, Artifact, HoldfastClient } from "~/client";
import { checkLogoPng, type PngCheck } from "./png-check";

export const PROOFREADER_HANDLE = "proofreader";

interface EvaluationRequest {
  escrow: { id: string; reference: string };
  service: { title: string; description: string };
  artifacts: Artifact[];
}

export interface ProofreaderOptions {
  log: (line: string) => void;
  loadCursor?: () => Promise<string | undefined>;
  saveCursor?: (cursor: string) => Promise<void>;
}

/** An SVG is checked for being one (a root <svg> with something drawn in it), not rendered. */
function checkSvg(bytes: Uint8Array): PngCheck {
  const text = new TextDecoder().decode(bytes);
  if (!/<svg[\s>]/i.test(text)) return { ok: false, summary: "Not an SVG: no <svg> element." };
  const shapes = text.match(/<(path|rect|circle|ellipse|polygon|polyline|line|text)\b/gi)?.length ?? 0;
  return shapes > 0 ? { ok: true, summary: `SVG with ${shapes} drawn elements.` } : { ok: false, summary: "An SVG with nothing drawn in it: blank." };
}

export function checkDeliveredFile(artifact: Pick<Artifact, "mime_type" | "name">, bytes: Uint8Array): PngCheck {
  if (artifact.mime_type === "image/png") return checkLogoPng(bytes);
  if (artifact.mime_type === "image/svg+xml") return checkSvg(bytes);
  return { ok: false, summary: `${artifact.name} is ${artifact.mime_type}, not the PNG or SVG logo the service promises.` };
}

export class DemoProofreader {
  private cursor: string | undefined;

  constructor(
    private readonly client: HoldfastClient,
    private readonly options: ProofreaderOptions,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    this.cursor = await this.options.loadCursor?.();
    while (!signal.aborted) {
      try {
        await this.pollOnce(25, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.options.log(`feed error: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  async pollOnce(waitS = 0, signal?: AbortSignal): Promise<number> {
    const page = await this.client.events({ ...(this.cursor ? { after: this.cursor } : {}), wait: waitS }, signal ? { signal } : {});
    for (const event of page.events) {
      await this.handle(event).catch((error: unknown) => this.options.log(`could not evaluate: ${(error as Error).message}`));
      this.cursor = event.id;
      await this.options.saveCursor?.(event.id);
    }
    if (page.next_cursor) this.cursor = page.next_cursor;
    return page.events.length;
  }

  async handle(event: AgentEvent): Promise<void> {
    if (event.type !== "escrow.evaluation_requested" || !event.trusted) return;
    const request = event.data as unknown as EvaluationRequest;
    const findings: PngCheck[] = [];
    for (const artifact of request.artifacts) {
      const bytes = await this.client.downloadArtifact(artifact);
      findings.push(checkDeliveredFile(artifact, bytes));
    }
    const failed = findings.find((f) => !f.ok);
    const verdict = findings.length > 0 && !failed ? "pass" : "fail";
    const report = findings.length === 0 ? "No file was delivered to check." : (failed ?? findings[0]!).summary;
    await this.client.attest(request.escrow.id, { verdict, report });
    this.options.log(`${request.escrow.reference}: ${verdict} — ${report}`);
  }
}
