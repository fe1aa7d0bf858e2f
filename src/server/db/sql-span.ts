// A span per SQL statement (issue 21), started by the pool's TracedClient (client.ts) only while
// tracing is on. db.query.text is the statement as sent — Prisma parameterises every value ($1 …),
// so no value reaches a span — cut to 2,000 characters.
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { tracer, tracingOn } from "../tracing";

const MAX_STATEMENT_CHARS = 2_000;

/** `SELECT escrows`, `BEGIN`: the operation and, when plain to see, the first table. */
export function sqlSpanName(text: string): string {
  const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "SQL";
  const table = /\b(?:FROM|INTO|UPDATE|JOIN)\s+(?:"?public"?\.)?"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(text)?.[1];
  return table ? `${operation} ${table}` : operation;
}

export interface SqlSpan {
  end(): void;
  fail(error: unknown): void;
}

export function startSqlSpan(text: string): SqlSpan | null {
  if (!tracingOn()) return null;
  // Only inside a trace: the pool's own housekeeping outside any request or job is not worth a root span.
  if (!trace.getSpan(context.active())) return null;
  const span = tracer().startSpan(sqlSpanName(text), {
    kind: SpanKind.CLIENT,
    attributes: {
      "db.system.name": "postgresql",
      "db.operation.name": /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "SQL",
      "db.query.text": text.length > MAX_STATEMENT_CHARS ? `${text.slice(0, MAX_STATEMENT_CHARS)}…` : text,
    },
  });
  return {
    end: () => span.end(),
    fail(error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message.slice(0, 200) : "error" });
      span.end();
    },
  };
}
