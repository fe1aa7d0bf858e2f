// The server's one logger (issue 21): pino, one JSON object per line, the level from
// HOLDFAST_LOG_LEVEL. Every line written while a request or a background job runs carries that
// run's request id (and, with tracing on, its trace id) from AsyncLocalStorage, so an operator can
// follow one agent call from its request line through its transition to its webhook attempts.
// Secrets never reach a line: callers pass ids and outcomes, not headers, bodies, keys, links or
// message texts, and `redact` censors the usual secret-bearing fields should one slip into an object.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** What a request or a job run knows about itself; the logger reads it on every line. */
export interface RunContext {
  requestId?: string;
  /** The route template once the transport matched it (for the request's own line and span). */
  route?: string;
  job?: string;
}

const runs = new AsyncLocalStorage<RunContext>();

/** Field paths whose values are censored wherever they appear (two levels deep). */
export const REDACTED_PATHS = [
  "authorization",
  "cookie",
  "password",
  "secret",
  "token",
  "apiKey",
  "api_key",
  "key",
  "url",
  "text",
  "body",
  "headers",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.secret",
  "*.token",
  "*.apiKey",
  "*.api_key",
  "*.key",
  "*.url",
  "*.text",
  "*.body",
  "*.headers",
];

export interface LoggerSettings {
  level: LogLevel;
  /** json (production) or pretty (one readable line, for the demo launcher's terminal). */
  format: "json" | "pretty";
}

/**
 * Last line of defence for text that reaches a line anyway (an error message quoting a header or a
 * URL): agent API keys, bearer tokens, webhook secrets, bot tokens and sign-in link tokens are cut.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bhfk_[A-Za-z0-9]+_[A-Za-z0-9]+/g, "hfk_[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, "whsec_[redacted]"],
  [/\bbot\d+:[A-Za-z0-9_-]+/g, "bot[redacted]"],
  [/([?&](?:token|code|key|secret|signature|access_token)=)[^&\s"']+/gi, "$1[redacted]"],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function scrubValues(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (depth <= 0 || value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValues(v, depth - 1)]));
}

function mixin(): Record<string, unknown> {
  const run = runs.getStore();
  const span = trace.getActiveSpan()?.spanContext();
  return {
    ...(run?.requestId ? { requestId: run.requestId } : {}),
    ...(run?.job ? { job: run.job } : {}),
    ...(span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
  };
}

/** `[holdfast] info transition escrowId=esc_… to=funded` — for people at a terminal, not for machines. */
function prettyDestination(out: NodeJS.WritableStream): DestinationStream {
  const skip = new Set(["level", "time", "pid", "hostname", "msg", "service"]);
  return {
    write(line: string) {
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        const fields = Object.entries(o)
          .filter(([k]) => !skip.has(k))
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
        const level = pino.levels.labels[o.level as number] ?? "info";
        out.write(`[holdfast] ${level === "info" ? "" : `${level} `}${String(o.msg ?? "")}${fields.length ? ` ${fields.join(" ")}` : ""}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}

export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const out = destination ?? (settings.format === "pretty" ? prettyDestination(process.stdout) : pino.destination(1));
  return pino(
    {
      level: settings.level,
      base: { service: "holdfast" },
      messageKey: "msg",
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      mixin,
      formatters: { log: (object) => scrubValues(object, 3) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubSecrets(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    out,
  );
}

/** From the environment, read directly: the logger must work before (and without) a valid full configuration. */
export function loggerSettingsFromEnv(source: Record<string, string | undefined> = process.env): LoggerSettings {
  const levels: LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  const configured = source.HOLDFAST_LOG_LEVEL?.trim().toLowerCase() as LogLevel | undefined;
  const level = configured && levels.includes(configured) ? configured : source.NODE_ENV === "test" || source.VITEST ? "silent" : "info";
  return { level, format: source.HOLDFAST_LOG_FORMAT === "pretty" ? "pretty" : "json" };
}

const globalForLog = globalThis as unknown as { holdfastLogger?: Logger };

/** The process-wide logger. */
export function log(): Logger {
  globalForLog.holdfastLogger ??= createLogger(loggerSettingsFromEnv());
  return globalForLog.holdfastLogger;
}

/** Tests: send every line to `destination` at `level`; returns a function that restores the previous logger. */
export function captureLogs(destination: DestinationStream, level: LogLevel = "debug"): () => void {
  const previous = globalForLog.holdfastLogger;
  globalForLog.holdfastLogger = createLogger({ level, format: "json" }, destination);
  return () => {
    globalForLog.holdfastLogger = previous;
  };
}

/** Runs `fn` with `context` as the current run (nested runs inherit what they do not override). */
export function withRunContext<T>(context: RunContext, fn: () => T): T {
  return runs.run({ ...runs.getStore(), ...context }, fn);
}

export function currentRun(): RunContext | undefined {
  return runs.getStore();
}

export function currentRequestId(): string | null {
  return runs.getStore()?.requestId ?? null;
}

/** `req_` + 32 hex digits: the id of a request that did not bring an acceptable one. */
export function newRequestId(): string {
  return `req_${randomUUID().replace(/-/g, "")}`;
}

/** An incoming X-Request-Id is kept only when it is a short token that cannot forge a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

export function acceptRequestId(incoming: string | null | undefined): string {
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

/** An error for a log line: its class, message and stack; never the request or values it carried. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { err: { type: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}), stack: error.stack } };
  }
  return { err: { message: String(error) } };
}
