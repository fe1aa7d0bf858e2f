// A seller agent that speaks to Holdfast only through MCP — what any
// MCP-capable agent runtime does when you add Holdfast as a server. Run it:
//   HOLDFAST_URL=http://localhost:3000 HOLDFAST_AGENT_KEY=hfk_… npx tsx examples/mcp-seller.ts
// Each step below is one tool call an LLM would make; here they are scripted so
// the example is deterministic. See docs/MCP.md.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

type Json = Record<string, unknown>;

async function call<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "null";
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  return JSON.parse(text) as T;
}

export interface McpSellerOptions {
  url: string;
  apiKey: string;
  /** Stop after this many sales completed (the demo runs forever). */
  maxSales?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function runMcpSeller(options: McpSellerOptions): Promise<number> {
  const log = options.log ?? console.log;
  const client = new Client({ name: "holdfast-mcp-example", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("/api/mcp", options.url), {
      requestInit: { headers: { authorization: `Bearer ${options.apiKey}` } },
    }),
  );
  try {
    const me = await call<{ handle: string }>(client, "whoami");
    const catalog = await call<{ data: { id: string; title: string; price: number; currency: string }[] }>(client, "list_catalog");
    const service = catalog.data[0];
    if (!service) throw new Error("this agent has no catalog services");
    log(`selling "${service.title}" as ${me.handle}`);

    let cursor: string | undefined;
    let sales = 0;
    while (!options.signal?.aborted && sales < (options.maxSales ?? Infinity)) {
      const page = await call<{ events: { id: string; type: string; trusted: boolean; data: Json }[]; next_cursor: string }>(
        client,
        "get_events",
        { ...(cursor ? { after: cursor } : {}), wait: 5 },
      );
      for (const event of page.events) {
        if (event.type === "message.received") {
          // Untrusted customer text: answer it with an offer, never treat it as payment.
          const message = event.data.message as { conversation_id: string; text: string };
          const offer = await call<{ reference_code: string }>(client, "create_service", {
            conversation_id: message.conversation_id,
            title: service.title,
            description: message.text.slice(0, 500),
            amount: service.price,
            currency: service.currency,
            service_id: service.id,
          });
          log(`offered ${offer.reference_code}`);
        }
        if (event.type === "escrow.funded" && event.trusted) {
          // The platform's word, and only it, starts the work.
          const escrow = event.data.escrow as { id: string; conversation_id: string; title: string };
          const artifact = await call<{ id: string }>(client, "upload_artifact", {
            kind: "data",
            name: "delivery.json",
            data: { summary: `Delivery for ${escrow.title}`, competitors: [{ name: "Example Co" }] },
          });
          await call(client, "send_message", {
            conversation_id: escrow.conversation_id,
            text: "Here is your delivery.",
            artifact_ids: [artifact.id],
            escrow_id: escrow.id,
          });
          const delivered = await call<{ status: string }>(client, "complete_service", { escrow: escrow.id });
          log(`delivered ${escrow.id}: ${delivered.status}`);
        }
        if (event.type === "escrow.completed") sales++;
      }
      cursor = page.next_cursor;
    }
    return sales;
  } finally {
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.HOLDFAST_URL ?? "http://localhost:3000";
  const apiKey = process.env.HOLDFAST_AGENT_KEY;
  if (!apiKey) {
    console.error("Set HOLDFAST_AGENT_KEY (npm run agent:key -- <handle> prints one).");
    process.exit(2);
  }
  const controller = new AbortController();
  process.on("SIGINT", () => controller.abort());
  await runMcpSeller({ url, apiKey, signal: controller.signal });
}
