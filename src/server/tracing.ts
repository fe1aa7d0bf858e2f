// OpenTelemetry traces (issue 21), set up from src/instrumentation.ts when OTEL_EXPORTER_OTLP_ENDPOINT
// (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: a span per request at each transport's dispatch
// point (src/server/http/observe.ts), the escrow transition as its child (run-command.ts) and every
// SQL statement below that (src/server/db/client.ts). Exported over OTLP/HTTP with JSON bodies, the
// exporter reading the standard OTEL_EXPORTER_OTLP_* variables itself. Unset, nothing is registered:
// @opentelemetry/api's no-op tracer costs a function call and the statement hook returns at once.
// This module needs only @opentelemetry/api; the SDK (tracing-sdk.ts) is loaded only when tracing is on.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";

export const SERVICE_NAME = "holdfast";

/** The provider tracing-sdk.ts registered, if any. */
export const globalForTracing = globalThis as unknown as { holdfastTracing?: { forceFlush(): Promise<void>; shutdown(): Promise<void> } };

/** True once `startTracing` registered a provider: the SQL hook skips all work otherwise. */
export function tracingOn(): boolean {
  return globalForTracing.holdfastTracing !== undefined;
}

export function tracingConfigured(source: Record<string, string | undefined> = process.env): boolean {
  if (source.OTEL_SDK_DISABLED === "true") return false;
  if (source.OTEL_TRACES_EXPORTER === "none") return false;
  return Boolean(source.OTEL_EXPORTER_OTLP_ENDPOINT || source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Tests: export what is buffered now. */
export async function flushTraces(): Promise<void> {
  await globalForTracing.holdfastTracing?.forceFlush();
}

export function tracer() {
  return trace.getTracer(SERVICE_NAME);
}

/** Runs `fn` inside a new active span, ended (with the error recorded) when it settles. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace context a request carries (`traceparent`), for its server span's parent. */
export function contextFromHeaders(headers: Headers): Context {
  if (!tracingOn()) return context.active();
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier.get(key) ?? undefined,
    keys: (carrier) => [...carrier.keys()],
  });
}

export { SpanKind, SpanStatusCode };
