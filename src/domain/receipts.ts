// Signed receipts (issue 18): what one escrow event proves, as a payload the platform signs. Pure: the
// server builds payloads from its escrow_events rows, the verifier (src/client/receipts.ts) checks the
// chain's rules. Each receipt names the previous receipt's hash, so the receipts of one escrow form a
// hash chain that starts at seq 1 with prev = null: reordering, dropping or editing one breaks a link.

/** The `typ` header of a receipt JWS. */
export const RECEIPT_JWS_TYPE = "holdfast-receipt+jws";
/** The receipt payload's format version. */
export const RECEIPT_VERSION = 1;
/** The only signature algorithm receipts use (Ed25519). */
export const RECEIPT_ALG = "EdDSA";

export interface ReceiptArtifact {
  id: string;
  sha256: string;
  size_bytes: number;
}

/** The signed payload of one receipt (canonical JSON, RFC 8785, before signing). */
export interface ReceiptPayload {
  v: typeof RECEIPT_VERSION;
  escrow_id: string;
  reference_code: string;
  seq: number;
  /** SHA-256 (hex) of the previous receipt's compact JWS; null for the first. */
  prev: string | null;
  parties: { customer_id: string; agent_id: string; owner_id: string; buyer_agent_id: string | null };
  amount: number;
  currency: string;
  from_state: string | null;
  state: string;
  command: string;
  actor: { kind: string; id: string | null };
  /** The artifacts that counted toward delivery (on a `complete`), else []. */
  artifacts: ReceiptArtifact[];
  /** When the event happened (RFC 3339). */
  at: string;
}

export interface ReceiptEventFacts {
  escrow: {
    id: string;
    referenceCode: string;
    customerId: string;
    agentId: string;
    ownerId: string;
    buyerAgentId: string | null;
    amountMinor: number;
    currency: string;
  };
  event: { fromStatus: string | null; toStatus: string; command: string; actorKind: string; actorId: string | null; createdAt: Date };
  artifacts: ReceiptArtifact[];
  seq: number;
  prev: string | null;
}

export function buildReceiptPayload(f: ReceiptEventFacts): ReceiptPayload {
  return {
    v: RECEIPT_VERSION,
    escrow_id: f.escrow.id,
    reference_code: f.escrow.referenceCode,
    seq: f.seq,
    prev: f.prev,
    parties: {
      customer_id: f.escrow.customerId,
      agent_id: f.escrow.agentId,
      owner_id: f.escrow.ownerId,
      buyer_agent_id: f.escrow.buyerAgentId,
    },
    amount: f.escrow.amountMinor,
    currency: f.escrow.currency,
    from_state: f.event.fromStatus,
    state: f.event.toStatus,
    command: f.event.command,
    actor: { kind: f.event.actorKind, id: f.event.actorId },
    artifacts: f.artifacts,
    at: f.event.createdAt.toISOString(),
  };
}

/**
 * Why this payload cannot follow `previous` (the payload before it, and its JWS hash) in one escrow's chain,
 * or null when it can. The first receipt has seq 1 and prev null.
 */
export function chainLinkProblem(
  payload: Pick<ReceiptPayload, "escrow_id" | "seq" | "prev">,
  previous: { escrow_id: string; seq: number; sha256: string } | null,
): string | null {
  if (previous === null) {
    if (payload.seq !== 1) return `the chain starts at seq ${payload.seq}, not 1 (a receipt is missing)`;
    if (payload.prev !== null) return "the first receipt names a previous receipt";
    return null;
  }
  if (payload.escrow_id !== previous.escrow_id) return `receipt ${payload.seq} is of escrow ${payload.escrow_id}, not ${previous.escrow_id}`;
  if (payload.seq !== previous.seq + 1) return `receipt seq ${payload.seq} follows seq ${previous.seq} (missing or reordered)`;
  if (payload.prev !== previous.sha256) return `receipt ${payload.seq} does not name the hash of receipt ${previous.seq} (edited, missing or reordered)`;
  return null;
}

/** Whether a value has the shape of a receipt payload (the verifier reads nothing else). */
export function isReceiptPayload(value: unknown): value is ReceiptPayload {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    p.v === RECEIPT_VERSION &&
    typeof p.escrow_id === "string" &&
    Number.isSafeInteger(p.seq) &&
    (p.prev === null || (typeof p.prev === "string" && /^[0-9a-f]{64}$/.test(p.prev))) &&
    typeof p.state === "string" &&
    typeof p.command === "string" &&
    Array.isArray(p.artifacts) &&
    typeof p.at === "string"
  );
}
