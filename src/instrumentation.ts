// Next.js startup hook: background workers of the server process.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Webhook push relay (src/server/webhooks/relay.ts): sends the agent-event outbox.
    if (process.env.DATABASE_URL) (await import("./server/webhooks/relay")).startWebhookWorker();
  }
}
