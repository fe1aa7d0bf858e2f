// One database transaction per state change, retried when PostgreSQL aborts
// it for a serialization failure or a deadlock. Retrying is safe because the
// whole transaction rolled back: nothing of the failed attempt remains.
import type { Db } from "./client";
import type { Prisma } from "./generated/client";

export type Tx = Prisma.TransactionClient;

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 400;

function describe(error: unknown): { code?: unknown; meta?: { code?: unknown }; cause?: unknown; message?: unknown } {
  return typeof error === "object" && error !== null ? (error as never) : {};
}

/** Serialization failure, deadlock, or Prisma's name for them (P2034, TransactionWriteConflict). */
export function isRetryableTransactionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const d = describe(e);
    if (d.code === "P2034") return true;
    if (typeof d.code === "string" && RETRYABLE_SQLSTATES.has(d.code)) return true;
    if (typeof d.meta?.code === "string" && RETRYABLE_SQLSTATES.has(d.meta.code)) return true;
    const kind = (d.cause as { kind?: unknown } | undefined)?.kind;
    if (kind === "TransactionWriteConflict") return true;
    const originalCode = (d.cause as { originalCode?: unknown } | undefined)?.originalCode;
    if (typeof originalCode === "string" && RETRYABLE_SQLSTATES.has(originalCode)) return true;
    if (typeof d.message === "string" && /could not serialize access|deadlock detected/.test(d.message)) return true;
    e = d.cause;
  }
  return false;
}

/** Full jitter, capped: spreads retrying transactions apart. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
}

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(work, {
        maxWait: 15_000,
        timeout: 30_000,
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
      });
    } catch (error) {
      if (attempt + 1 >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}
