/**
 * Every way a domain command can be refused, in one place (TigerBeetle-style: one enum of result
 * codes). `status` is the HTTP-ish class the transports map to; the domain never speaks HTTP itself.
 *
 * 409 = the escrow's state or clock does not allow this now (retrying later may succeed);
 * 422 = the state allows the command but its preconditions or input do not hold;
 * 403 = this actor may never run this command in this state.
 */
export const REJECTIONS = {
  invalid_transition: { status: 409 },
  forbidden: { status: 403 },
  escrow_not_funded: { status: 422 },
  no_artifact_since_last_status_change: { status: 422 },
  artifact_contract_unmet: { status: 422 },
  explanation_required: { status: 422 },
  reason_required: { status: 422 },
  note_required: { status: 422 },
  amount_out_of_range: { status: 422 },
  not_overdue: { status: 422 },
  deadline_not_reached: { status: 409 },
  review_already_extended: { status: 422 },
  settlement_not_found: { status: 422 },
  insufficient_funds: { status: 422 },
  conflict: { status: 409 },
  // Agent-to-agent purchases (SPEC §6.6): the owner has not opted in, the buyer and seller share an
  // owner, or the purchase would pass the owner's spending limit.
  purchasing_not_enabled: { status: 422 },
  purchase_not_allowed: { status: 422 },
  spending_limit_exceeded: { status: 422 },
  // The evaluator role (issue 18, src/domain/evaluator.ts): the caller is not the escrow's evaluator, its
  // attestation window is over, it attested already, or a service names an agent that may not evaluate.
  not_evaluator: { status: 403 },
  window_closed: { status: 409 },
  already_attested: { status: 409 },
  evaluator_not_allowed: { status: 422 },
  // Only a dispute the evaluator opened on the customer's behalf can be withdrawn (back to review); a dispute
  // the customer opened themselves is withdrawn by approving, once the agent has answered.
  dispute_not_withdrawable: { status: 422 },
} as const;

export type RejectionCode = keyof typeof REJECTIONS;

/** A refusal: `message` is a full sentence that a language model or a person can act on. */
export interface Rejection {
  code: RejectionCode;
  message: string;
}

export function reject(code: RejectionCode, message: string): Rejection {
  return { code, message };
}

/** What services throw; transports (REST, MCP, tRPC) map `code`/`status` to their own error shapes. */
export class DomainError extends Error {
  readonly code: RejectionCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(rejection: Rejection, details?: Record<string, unknown>) {
    super(rejection.message);
    this.name = "DomainError";
    this.code = rejection.code;
    this.status = REJECTIONS[rejection.code].status;
    // Stryker disable next-line ConditionalExpression: the class field already defines `details` as undefined, so assigning undefined changes nothing
    if (details !== undefined) this.details = details;
  }

  toRejection(): Rejection {
    return { code: this.code, message: this.message };
  }
}

export function isDomainError(x: unknown): x is DomainError {
  return x instanceof DomainError;
}
