// Runs one operation for an authenticated agent, the same way for REST and
// MCP: ownership (404) → shape (400) → the handler (whose engine answers 409
// then 422). POSTs run in one transaction, under the Idempotency-Key if given.
import { inTransaction, type Tx } from "../db/transaction";
import { nulTextError } from "../nul-text";
import { withIdempotency, type StoredResponse } from "../idempotency";
import type { AuthenticatedAgent } from "../auth/api-keys";
import type { AgentApiDeps } from "./deps";
import { knownErrorResult, toErrorResult, validationError } from "./errors";
import type { Operation, OperationContext, OperationResult } from "./operation";

export interface ExecuteOptions {
  idempotencyKey?: string;
  /** What makes two requests "the same" for the Idempotency-Key (defaults to the raw input). */
  fingerprint?: unknown;
  signal?: AbortSignal;
  /** Replaces validation + handler (multipart uploads), keeping auth, ownership and idempotency. */
  run?: (c: OperationContext) => Promise<OperationResult>;
}

export interface ExecuteResult extends OperationResult {
  replayed: boolean;
}

/** Errors worth storing under an idempotency key: every coded 4xx except retryable conflicts. */
function storableRefusal(error: unknown): StoredResponse | null {
  const known = knownErrorResult(error);
  if (!known) return null;
  const code = (known.body as { error: { code: string } }).error.code;
  return code === "conflict" ? null : known;
}

export async function executeOperation(
  deps: AgentApiDeps,
  agent: AuthenticatedAgent,
  op: Operation,
  raw: Record<string, unknown>,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  // A NUL can be stored nowhere (and names no object): refuse it before any query.
  const nul = nulTextError(raw);
  if (nul) return { ...toErrorResult(nul), replayed: false };
  const work = async (tx: Tx): Promise<OperationResult> => {
    const c: OperationContext = { tx, engine: deps.engine, agent, deps, ...(options.signal ? { signal: options.signal } : {}) };
    if (op.authorize) await op.authorize(c, raw);
    if (options.run) return options.run(c);
    const parsed = op.input.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    return op.handler(c, parsed.data);
  };
  try {
    if (op.method === "GET") return { ...(await work(deps.engine.db)), replayed: false };
    if (options.idempotencyKey !== undefined) {
      const result = await withIdempotency(
        deps.engine.db,
        {
          scope: `agent:${agent.agentId}`,
          key: options.idempotencyKey,
          fingerprint: { operation: op.id, input: options.fingerprint ?? raw },
        },
        work,
        storableRefusal,
      );
      return result;
    }
    return { ...(await inTransaction(deps.engine.db, work)), replayed: false };
  } catch (error) {
    return { ...toErrorResult(error), replayed: false };
  }
}
