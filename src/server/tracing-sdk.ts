// The OpenTelemetry SDK for traces (issue 21), loaded by src/instrumentation.ts only when an OTLP
// endpoint is configured (tracing.ts says when): a tracer provider with a batch span processor
// exporting OTLP/HTTP JSON (the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself),
// an AsyncLocalStorage context manager and the W3C trace-context propagator.
import { AsyncLocalStorage } from "node:async_hooks";
import { context, propagation, ROOT_CONTEXT, trace, type Context, type ContextManager } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import { globalForTracing, SERVICE_NAME } from "./tracing";

/**
 * Async context for spans on Node: the job of @opentelemetry/context-async-hooks'
 * AsyncLocalStorageContextManager, which is not installed; this is the same idea in a few lines.
 */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args) as ReturnType<F>);
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const run = (fn: (...a: unknown[]) => unknown) =>
      function (this: unknown, ...a: unknown[]) {
        return context.with(ctx, () => fn.apply(this, a));
      };
    return run(target as (...a: unknown[]) => unknown) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

/**
 * Registers the global tracer provider, context manager and W3C trace-context propagator (an
 * incoming `traceparent` continues the caller's trace). `exporter` is for tests; by default OTLP/HTTP
 * JSON to the endpoint in the environment. Idempotent.
 */
export function startTracing(options: { exporter?: SpanExporter; serviceName?: string } = {}): TracerProvider {
  if (globalForTracing.holdfastTracing instanceof TracerProvider) return globalForTracing.holdfastTracing;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor({ exporter: options.exporter ?? new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  globalForTracing.holdfastTracing = provider;
  // Exports what is buffered when the event loop drains. No SIGTERM listener: one would stop Node
  // from exiting on the signal, and the server's own shutdown must stay as it is.
  process.once("beforeExit", () => void provider.shutdown().catch(() => undefined));
  return provider;
}

