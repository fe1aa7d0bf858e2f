// Idempotency keys (PROTOCOL.md Conventions). The key row, the work and the
// stored response commit in ONE transaction:
// - a concurrent duplicate blocks on the key's unique index until the first
//   commits, then finds the stored response and replays it: one effect,
//   identical responses;
// - if the first attempt rolls back, the key was never stored and the
//   duplicate runs the work itself.
// Deterministic refusals (4xx) are stored and replayed too, via a savepoint
// that undoes the work but keeps the key.
import { countIdempotentReplay } from "./ops/metrics";
import { createHash } from "node:crypto";
import type { Db } from "./db/client";
import { inTransaction, type Tx } from "./db/transaction";
import { ServiceError } from "./errors";
import { newId } from "./ids";

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotentResult extends StoredResponse {
  replayed: boolean;
}

export interface IdempotencyRequest {
  /** Whose key it is, e.g. `agent:<id>`; keys of different callers never meet. */
  scope: string;
  key: string;
  /** Method, path and body: the same key with a different request is refused. */
  fingerprint: unknown;
  /** What the caller calls the key, for the refusal's text (the agent API's header by default). */
  keyName?: string;
}

/**
 * A person's key for one request from the web consoles (the tRPC input `requestKey`): the client makes one
 * per submission and sends it again on a retry or a double submit, so the request takes effect once. The
 * same store as the agent API's Idempotency-Key, scoped to the person and named by the procedure. No key,
 * no request: the work simply runs.
 */
export function personRequest(userId: string, procedure: string, key: string | null | undefined, input: object): IdempotencyRequest | null {
  return key ? { scope: `user:${userId}`, key, fingerprint: { procedure, ...input }, keyName: "request key" } : null;
}

/**
 * `work` in one transaction, once per request key: a repeat gets the first run's result (its JSON form:
 * ids and plain values). A refusal stores nothing — nothing was written — so the same request may be tried
 * again. Without a key, the work simply runs.
 */
export async function oncePerRequestKey<T>(db: Db, request: IdempotencyRequest | null, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!request) return inTransaction(db, work);
  const result = await withIdempotency(db, request, async (tx) => ({ status: 200, body: await work(tx) }), () => null);
  return result.body as T;
}

/**
 * In the caller's transaction, `reserve` once per request key: the first run's result is stored with the
 * key; a repeat gets it back (`repeat: true`) instead of reserving again — for work whose effect outside
 * the database (a Stripe call) follows the reservation and is itself keyed by what was reserved.
 */
export async function reserveOncePerRequestKey<T>(
  tx: Tx,
  request: IdempotencyRequest | null,
  reserve: () => Promise<T>,
): Promise<{ value: T; repeat: boolean }> {
  const earlier = request ? await claimIdempotencyKey(tx, request) : null;
  if (earlier) return { value: earlier.body as T, repeat: true };
  const value = await reserve();
  if (request) await storeIdempotentResponse(tx, request, { status: 200, body: value });
  return { value, repeat: false };
}

/** The least a key is kept (PROTOCOL.md: "Keys are kept at least 24 hours"); the default retention. */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

/** Rows one sweep statement deletes: bounds the statement's locks and WAL so it never stalls requests. */
export const IDEMPOTENCY_SWEEP_BATCH = 1_000;

/**
 * Deletes one batch of keys first used more than `retentionHours` before `now`, oldest first; returns
 * how many went (the polling loop runs it again at once while it returns a full batch). A retention
 * under the protocol's 24 hours is refused, whatever the caller passes: a replay within a day must
 * still find its key. Keys being claimed right now are uncommitted rows, invisible here.
 */
export async function sweepIdempotencyKeys(
  db: Db,
  options: { now: Date; retentionHours: number; batchSize?: number },
): Promise<number> {
  if (!Number.isInteger(options.retentionHours) || options.retentionHours < IDEMPOTENCY_KEY_RETENTION_HOURS) {
    throw new RangeError(`idempotency key retention must be at least ${IDEMPOTENCY_KEY_RETENTION_HOURS} hours, got ${options.retentionHours}`);
  }
  const cutoff = new Date(options.now.getTime() - options.retentionHours * 3_600_000);
  const batch = options.batchSize ?? IDEMPOTENCY_SWEEP_BATCH;
  return db.$executeRaw`
    DELETE FROM idempotency_keys WHERE id IN (
      SELECT id FROM idempotency_keys WHERE created_at < ${cutoff}
      ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)`;
}

export function requestHash(fingerprint: unknown): string {
  return createHash("sha256").update(stableJson(fingerprint)).digest("hex");
}

/** JSON with sorted keys, so semantically equal bodies hash the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs `work` at most once per (scope, key). `refusal` turns an error thrown
 * by `work` into a response worth storing (a 4xx), or returns null to let the
 * error propagate and the key stay unused (5xx, retryable conflicts).
 */
export async function withIdempotency(
  db: Db,
  request: IdempotencyRequest,
  work: (tx: Tx) => Promise<StoredResponse>,
  refusal: (error: unknown) => StoredResponse | null,
): Promise<IdempotentResult> {
  return inTransaction(db, async (tx) => {
    const stored = await claimIdempotencyKey(tx, request);
    if (stored) return { ...stored, replayed: true };

    await tx.$executeRawUnsafe("SAVEPOINT idempotent_work");
    let response: StoredResponse;
    try {
      response = await work(tx);
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT idempotent_work");
      response = refused;
    }
    return { ...(await storeIdempotentResponse(tx, request, response)), replayed: false };
  });
}

/**
 * Claims (scope, key) in the caller's transaction: null when this request is the first (do the work, then
 * storeIdempotentResponse in the same transaction), else the response the first one stored. A concurrent
 * duplicate waits here on the key's unique index until the first commits (then replays it) or rolls back
 * (then claims the key itself). The same key with a different request is refused.
 */
async function claimIdempotencyKey(tx: Tx, request: IdempotencyRequest): Promise<StoredResponse | null> {
  const hash = requestHash(request.fingerprint);
  const claimed = await tx.$executeRaw`
    INSERT INTO idempotency_keys (id, scope, key, request_hash, response_status, response_body, created_at)
    VALUES (${newId("idk")}, ${request.scope}, ${request.key}, ${hash}, 0, '', now())
    ON CONFLICT (scope, key) DO NOTHING`;
  if (claimed === 1) return null;
  const stored = await tx.idempotencyKey.findUnique({ where: { scope_key: { scope: request.scope, key: request.key } } });
  if (!stored) throw new Error("idempotency key vanished between insert conflict and read");
  if (stored.requestHash !== hash) {
    const name = request.keyName ?? "Idempotency-Key";
    throw new ServiceError("idempotency_key_reused", `This ${name} was already used with a different request. Use a new key for a new request.`);
  }
  countIdempotentReplay(request.scope);
  return { status: stored.responseStatus, body: JSON.parse(stored.responseBody) as unknown };
}

/** Stores the first response of a claimed key; returns it as every replay will read it. */
async function storeIdempotentResponse(tx: Tx, request: IdempotencyRequest, response: StoredResponse): Promise<StoredResponse> {
  // Serialize once: the first answer and every replay come from the same text.
  const bodyText = JSON.stringify(response.body ?? null);
  await tx.idempotencyKey.update({
    where: { scope_key: { scope: request.scope, key: request.key } },
    data: { responseStatus: response.status, responseBody: bodyText },
  });
  return { status: response.status, body: JSON.parse(bodyText) as unknown };
}
