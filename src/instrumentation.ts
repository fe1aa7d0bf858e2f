// Next.js startup hook: tracing, then the background workers of the server process. They run in the
// Node.js runtime only (never in the edge runtime, never during `next build`) and need the database.
// HOLDFAST_WORKERS=0 turns off the timer and notification workers for request-only processes.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // OpenTelemetry first, so every later span has a provider (src/server/tracing.ts): only when an
  // OTLP endpoint is configured; otherwise nothing is loaded and the API stays a no-op.
  if ((await import("./server/tracing")).tracingConfigured()) (await import("./server/tracing-sdk")).startTracing();
  // Per-client limits need the connection's peer address, which route handlers cannot see otherwise.
  (await import("./server/client-address")).stampPeerAddresses();
  if (!process.env.DATABASE_URL) return;
  // The last ledger check's gauges on prom-client's default registry (read from the database at scrape time).
  (await import("./server/ops/ledger-metrics")).registerLedgerCheckMetrics();
  // Webhook push relay (src/server/webhooks/relay.ts): sends the agent-event outbox.
  (await import("./server/webhooks/relay")).startWebhookWorker();
  // Timers (embedded scheduler, or the outbox relay to Inngest) and the notification relay (src/server/jobs/workers.ts).
  const { env } = await import("./env");
  if (env().HOLDFAST_WORKERS) (await import("./server/jobs/workers")).startBackgroundWorkersOnce();
  // Receipts (src/server/receipts/): signs new escrow events into each escrow's receipt chain.
  if (env().HOLDFAST_WORKERS) (await import("./server/jobs/receipt-worker")).startReceiptWorker();
}
