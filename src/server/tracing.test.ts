// Traces (issue 21): with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP/HTTP receiver (a
// node:http server decoding the exporter's JSON), one agent API call over real HTTP exports a server
// span for the request, the escrow transition as its child and the SQL statements below them — all
// in one trace, under service.name holdfast, with parameterised statements only.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import { flushTraces, tracingConfigured } from "./tracing";
import { startTracing } from "./tracing-sdk";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

let h: Harness;
let collector: http.Server;
const exports: OtlpExport[] = [];
const contentTypes: string[] = [];

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        contentTypes.push(String(req.headers["content-type"]));
        exports.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  startTracing();
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => collector.close(resolve));
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

describe("traces", () => {
  it("is on only when an OTLP endpoint is configured", () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" })).toBe(false);
  });

  it("exports a request span with the transition and its SQL statements as children, in one trace", async () => {
    const w = await createWorld(h);
    const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo", amount: 1500, currency: "USD" });
    await flushTraces();
    exports.length = 0;

    // The caller's traceparent is continued: its trace id is the request's.
    const callerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await call(h, w.key.key, "POST", `/escrows/${escrow.id}/cancel`, {
      json: { reason: "customer asked" },
      headers: { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    await flushTraces();

    expect(contentTypes.every((t) => t.startsWith("application/json"))).toBe(true);
    const resources = exports.flatMap((e) => e.resourceSpans);
    expect(resources.flatMap((r) => r.resource.attributes).find((a) => a.key === "service.name")?.value.stringValue).toBe("holdfast");
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).filter((s) => s.traceId === callerTraceId);

    const request = spans.find((s) => s.name === "POST /escrows/{escrow}/cancel");
    expect(request).toBeDefined();
    expect(request?.parentSpanId).toBe("00f067aa0ba902b7");
    expect(attr(request!, "http.response.status_code")).toBe(200);
    expect(attr(request!, "holdfast.request_id")).toBe(res.headers.get("x-request-id"));

    const transition = spans.find((s) => s.name === "escrow.transition cancel");
    expect(transition?.parentSpanId).toBe(request?.spanId);
    expect(attr(transition!, "holdfast.escrow_id")).toBe(escrow.id);

    const statements = spans.filter((s) => attr(s, "db.system.name") === "postgresql");
    const underTransition = statements.filter((s) => s.parentSpanId === transition?.spanId);
    // The decided change set is one statement of data-modifying CTEs (issue 20), starting at the escrow's update.
    expect(underTransition.map((s) => s.name)).toEqual(expect.arrayContaining(["WITH escrows"]));
    // Statements before the transition (the key check, the row lock) hang off the request.
    expect(statements.some((s) => s.parentSpanId === request?.spanId)).toBe(true);
    // Parameterised: the escrow id and the reason travel as $n values, never in the statement text.
    for (const s of statements) {
      expect(String(attr(s, "db.query.text"))).not.toContain(escrow.id);
      expect(String(attr(s, "db.query.text"))).not.toContain("customer asked");
    }
    // Every span of this request shares the trace.
    expect(spans.length).toBe(new Set(spans.map((s) => s.spanId)).size);
    expect(spans.length).toBeGreaterThanOrEqual(2 + underTransition.length);
  });
});
