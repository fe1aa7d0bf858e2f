// Constant-time checks for inbound webhooks: both sides are hashed first, so the comparison takes the
// same time whatever the lengths and wherever the first difference is.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function safeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, as Meta sends in X-Hub-Signature-256. */
export function hubSignature(secret: string, rawBody: Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** Records an inbound delivery id; false when it was processed before (same transaction as the work). */
export async function claimInbound(
  tx: import("../db/transaction").Tx,
  source: "telegram" | "whatsapp",
  externalId: string,
  outcome: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO inbound_webhooks (source, external_id, outcome, received_at)
    VALUES (${source}, ${externalId}, ${outcome}, ${now})
    ON CONFLICT (source, external_id) DO NOTHING RETURNING id`;
  return rows.length === 1;
}
