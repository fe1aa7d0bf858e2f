// The receipt sealer (issue 18): signs each escrow's audit rows (escrow_events) in order, once, after the
// transition committed — the transition's own transaction is never touched. Receipts are sealed on demand
// (GET /escrows/{id}/receipts, webhooks, evidence bundles) and by a worker loop for the rest. One sealer per
// escrow at a time (a transaction-scoped advisory lock); the (escrow_id, seq) key and the unique event_id
// refuse a second receipt for an event even if that lock were bypassed, so a chain cannot fork.
import canonicalize from "canonicalize";
import { CompactSign } from "jose";
import type { ReceiptJson } from "~/domain/evidence-bundle";
import { buildReceiptPayload, RECEIPT_ALG, RECEIPT_JWS_TYPE, type ReceiptArtifact } from "~/domain/receipts";
import { sha256Hex } from "~/client/receipts";
import type { Db } from "../db/client";
import type { EscrowEvent, EscrowReceipt } from "../db/generated/client";
import { inTransaction, type Tx } from "../db/transaction";
import { minor } from "../views/protocol";
import { receiptKeyset, signingKey, type ReceiptKeyset } from "./keys";

export type ReceiptRow = EscrowReceipt;

/** The Receipt object of the agent API (PROTOCOL "Receipts"). */
export type { ReceiptJson } from "~/domain/evidence-bundle";

export function toReceiptJson(row: ReceiptRow): ReceiptJson {
  const payloadPart = row.jws.split(".")[1] ?? "";
  return {
    escrow_id: row.escrowId,
    seq: row.seq,
    kid: row.kid,
    jws: row.jws,
    sha256: row.sha256,
    payload: JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as unknown,
  };
}

const utf8 = new TextEncoder();

/** The receipts of an escrow, oldest first (sealed ones only). */
export function receiptsOf(db: Db | Tx, escrowId: string): Promise<ReceiptRow[]> {
  return db.escrowReceipt.findMany({ where: { escrowId }, orderBy: { seq: "asc" } });
}

/** Whether some event of the escrow has no receipt yet (one indexed read each side). */
async function hasUnsealedEvents(db: Db, escrowId: string): Promise<boolean> {
  const last = await db.escrowReceipt.findFirst({ where: { escrowId }, orderBy: { seq: "desc" }, select: { eventId: true } });
  const next = await db.escrowEvent.findFirst({ where: { escrowId, ...(last ? { id: { gt: last.eventId } } : {}) }, select: { id: true } });
  return next !== null;
}

/**
 * The artifacts a `complete` counted: those its escrow.delivered event names (the ones that met the service's
 * artifact contract); for an event without that list, every artifact the agent sent on this escrow since the
 * status before it was entered (what the engine checked).
 */
async function deliveredArtifacts(tx: Tx, escrowId: string, version: number, since: Date, until: Date): Promise<ReceiptArtifact[]> {
  const delivered = await tx.agentEvent.findFirst({
    where: { escrowId, type: "escrow.delivered", data: { path: ["escrow", "version"], equals: version } },
    select: { data: true },
  });
  const named = (delivered?.data as { artifact_ids?: unknown } | null)?.artifact_ids;
  const ids = Array.isArray(named) ? named.filter((x): x is string => typeof x === "string") : null;
  const rows = await tx.artifact.findMany({
    where: ids ? { id: { in: ids } } : { message: { escrowId, role: "agent", createdAt: { gt: since, lte: until } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((a) => ({ id: a.id, sha256: a.sha256, size_bytes: minor(a.sizeBytes) }));
}

/** When the status before `index` was entered (the last earlier event that changed the status). */
function statusEnteredBefore(events: EscrowEvent[], index: number): Date {
  for (let i = index - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.fromStatus !== e.toStatus) return e.createdAt;
  }
  return new Date(0);
}

async function sign(keyset: ReceiptKeyset, payload: unknown): Promise<{ jws: string; kid: string }> {
  const key = signingKey(keyset);
  const text = canonicalize(payload);
  if (text === undefined) throw new Error("receipt payload is not serializable");
  const jws = await new CompactSign(utf8.encode(text)).setProtectedHeader({ alg: RECEIPT_ALG, kid: key.kid, typ: RECEIPT_JWS_TYPE }).sign(key.privateKey);
  return { jws, kid: key.kid };
}

/**
 * Seals every event of the escrow that has no receipt yet and answers the whole chain, oldest first. Cheap
 * when nothing is pending (two indexed reads). Safe to call from any number of processes at once.
 */
export async function sealEscrowReceipts(db: Db, escrowId: string, keyset?: ReceiptKeyset): Promise<ReceiptRow[]> {
  if (!(await hasUnsealedEvents(db, escrowId))) return receiptsOf(db, escrowId);
  const keys = keyset ?? (await receiptKeyset());
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('holdfast:receipts'), hashtext(${escrowId}))`;
    const sealed = await receiptsOf(tx, escrowId);
    const last = sealed.at(-1) ?? null;
    const events = await tx.escrowEvent.findMany({ where: { escrowId }, orderBy: { id: "asc" } });
    const pendingFrom = last ? events.findIndex((e) => e.id > last.eventId) : 0;
    if (pendingFrom < 0) return sealed;
    const escrow = await tx.escrow.findUniqueOrThrow({ where: { id: escrowId }, include: { agent: { select: { ownerId: true } } } });
    const facts = {
      id: escrow.id,
      referenceCode: escrow.referenceCode,
      customerId: escrow.customerId,
      agentId: escrow.agentId,
      ownerId: escrow.agent.ownerId,
      buyerAgentId: escrow.buyerAgentId,
      amountMinor: minor(escrow.amountMinor),
      currency: escrow.currency,
    };
    let prev = last?.sha256 ?? null;
    let seq = last?.seq ?? 0;
    const created: ReceiptRow[] = [];
    for (let i = pendingFrom; i < events.length; i++) {
      const event = events[i]!;
      const counted = event.command === "complete" && event.toStatus === "delivered" && event.fromStatus !== "delivered";
      const artifacts = counted ? await deliveredArtifacts(tx, escrowId, event.version, statusEnteredBefore(events, i), event.createdAt) : [];
      seq += 1;
      const payload = buildReceiptPayload({ escrow: facts, event, artifacts, seq, prev });
      const { jws, kid } = await sign(keys, payload);
      const sha256 = await sha256Hex(jws);
      created.push(await tx.escrowReceipt.create({ data: { escrowId, seq, eventId: event.id, jws, sha256, kid } }));
      prev = sha256;
    }
    return [...sealed, ...created];
  });
}

export interface SealRound {
  written: number;
  /** Every event with an id up to this one has its receipt: the next round starts after it. */
  sealedThrough: bigint;
}

/**
 * Seals up to `limit` escrows with unsealed events after `after` (the worker loop's watermark), oldest event
 * first; answers how many receipts it wrote and how far every event is now sealed.
 */
export async function sealPendingReceipts(db: Db, after = 0n, limit = 50, keyset?: ReceiptKeyset): Promise<SealRound> {
  const pending = await db.$queryRaw<{ escrow_id: string; first_id: bigint }[]>`
    SELECT e.escrow_id, min(e.id) AS first_id FROM escrow_events e
    WHERE e.id > ${after} AND NOT EXISTS (SELECT 1 FROM escrow_receipts r WHERE r.event_id = e.id)
    GROUP BY e.escrow_id ORDER BY first_id LIMIT ${limit}`;
  let written = 0;
  for (const { escrow_id } of pending) {
    const before = await db.escrowReceipt.count({ where: { escrowId: escrow_id } });
    written += (await sealEscrowReceipts(db, escrow_id, keyset)).length - before;
  }
  if (pending.length < limit) {
    const top = await db.escrowEvent.aggregate({ _max: { id: true } });
    // Events of transactions still in flight may commit below the top later: keep a margin behind it.
    const through = (top._max.id ?? 0n) - 1000n;
    return { written, sealedThrough: through > after ? through : after };
  }
  const lowest = pending[0]!.first_id - 1n;
  return { written, sealedThrough: lowest > after ? lowest : after };
}
