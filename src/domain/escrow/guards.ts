/**
 * The preconditions named in the transition table, each written once. A guard returns the rejection
 * that answers the command, or null when the precondition holds. Guards never change anything.
 */
import { visibleTextOrNull } from "../text";
import { checkDelivery, type DeliveryCheck } from "./delivery";
import { reject, type Rejection } from "./errors";
import type { Actor, EscrowCommand } from "./states";
import { isTimerCommand, type GuardName } from "./transitions";
import type { CommandInput, EscrowSnapshot, TimeWindows } from "./types";

export interface GuardContext {
  escrow: EscrowSnapshot;
  input: CommandInput;
  actor: Actor;
  now: Date;
  windows: TimeWindows;
  /** For `complete`: the delivery check, made once per decision (the guard and the event's artifact ids read it). */
  delivery?: DeliveryCheck;
}

type Guard = (ctx: GuardContext) => Rejection | null;

/**
 * The free text a command carries (cancel or dispute reason, defence, moderator note), trimmed; null
 * when absent or when nothing in it is visible (blank, or only zero-width, format or filler characters:
 * `hasVisibleText` in domain/text.ts), so a defence of one U+200B is no explanation.
 */
export function trimmedText(input: CommandInput): string | null {
  switch (input.command) {
    // One case for both: as two identical cases, dropping "cancel" fell through to "dispute" unnoticed (an
    // equivalent mutant, issue 23).
    case "cancel":
    case "dispute":
      return visibleTextOrNull(input.reason);
    case "defend":
      return visibleTextOrNull(input.explanation);
    case "decide":
      return visibleTextOrNull(input.note);
    default:
      return null;
  }
}

/** 0 < refund < amount, a whole number of minor units: anything else is not a partial refund. */
export function isPartialRefund(refundAmountMinor: unknown, amountMinor: number): refundAmountMinor is number {
  return (
    typeof refundAmountMinor === "number" &&
    Number.isSafeInteger(refundAmountMinor) &&
    refundAmountMinor > 0 &&
    refundAmountMinor < amountMinor
  );
}

function refundOutOfRange(refundAmountMinor: unknown, amountMinor: number): Rejection {
  return reject(
    "amount_out_of_range",
    `The refund amount must be a whole number of minor units greater than 0 and less than the escrow ` +
      `amount (${amountMinor}); got ${String(refundAmountMinor)}. For a full refund use agree_refund ` +
      `(agent) or a refund decision; for none, approve.`,
  );
}

/** A guard was attached to a row whose command does not carry its input: a bug in the table. */
function misplaced(guard: GuardName, command: EscrowCommand): never {
  throw new Error(`guard ${guard} cannot check command ${command}`);
}

const deadlineReached: Guard = ({ escrow, input, now }) => {
  const command = input.command;
  if (!isTimerCommand(command)) return misplaced("deadline_reached", command);
  // Timers are triggers only (SPEC §3.4): a timer scheduled for an earlier state or deadline is stale.
  if (escrow.deadlineAction !== command || escrow.deadline === null) {
    return reject(
      "invalid_transition",
      `This ${escrow.status} escrow has no ${command} deadline` +
        (escrow.deadlineAction ? ` (its deadline action is ${escrow.deadlineAction})` : "") +
        "; the timer is stale and nothing happens.",
    );
  }
  if (now.getTime() < escrow.deadline.getTime()) {
    return reject(
      "deadline_not_reached",
      `The ${command} deadline is ${escrow.deadline.toISOString()} and has not been reached yet; nothing happens before then.`,
    );
  }
  return null;
};

const deliveryPrecondition: Guard = ({ input, delivery }) => {
  if (input.command !== "complete") return misplaced("delivery_precondition", input.command);
  const check = delivery ?? checkDelivery(input.artifactsSinceStatusChange, input.contract);
  return check.ok ? null : check.rejection;
};

const overdue: Guard = ({ escrow, now }) => {
  if (escrow.dueAt === null) {
    return reject("not_overdue", "This escrow has no due time, so it cannot be cancelled as overdue.");
  }
  if (now.getTime() < escrow.dueAt.getTime()) {
    return reject(
      "not_overdue",
      `Delivery is not overdue yet: it is due at ${escrow.dueAt.toISOString()}. After that time you can cancel for a full refund.`,
    );
  }
  return null;
};

const reasonRequired: Guard = ({ input }) => {
  if (input.command !== "dispute") return misplaced("reason_required", input.command);
  if (trimmedText(input) !== null) return null;
  return reject("reason_required", "A dispute needs a reason: describe what is wrong with the delivery.");
};

const explanationRequired: Guard = ({ input }) => {
  if (input.command !== "defend") return misplaced("explanation_required", input.command);
  if (trimmedText(input) !== null) return null;
  return reject(
    "explanation_required",
    "Defending needs a written explanation in `message`: say what you delivered and why it meets the " +
      "request. If the customer is right, use agree_refund instead.",
  );
};

const noteRequired: Guard = ({ input }) => {
  if (input.command !== "decide") return misplaced("note_required", input.command);
  if (trimmedText(input) !== null) return null;
  return reject("note_required", "A moderator decision needs a note explaining it to both parties.");
};

const reviewNotExtended: Guard = ({ escrow }) => {
  if (!escrow.reviewExtended) return null;
  const until = escrow.deadline ? ` Approve or report a problem before ${escrow.deadline.toISOString()}.` : "";
  return reject("review_already_extended", `The review window can be extended only once, and it already was.${until}`);
};

const refundInRange: Guard = ({ escrow, input }) => {
  if (input.command !== "propose_settlement") return misplaced("refund_in_range", input.command);
  if (isPartialRefund(input.refundAmountMinor, escrow.amountMinor)) return null;
  return refundOutOfRange(input.refundAmountMinor, escrow.amountMinor);
};

const settlementByOtherParty: Guard = ({ escrow, input, actor }) => {
  if (input.command !== "accept_settlement") return misplaced("settlement_by_other_party", input.command);
  const open = escrow.openSettlement;
  if (open !== null && open.id === input.settlementId && open.proposedBy !== actor) return null;
  const own = open !== null && open.id === input.settlementId;
  return reject(
    "settlement_not_found",
    own
      ? `Settlement ${input.settlementId} is your own proposal; only the other side can accept it.`
      : `There is no open settlement proposal ${input.settlementId} on this escrow (a newer proposal ` +
          "supersedes older ones). Accept the latest proposal from the other side, or propose your own.",
  );
};

const decisionAmounts: Guard = ({ escrow, input }) => {
  if (input.command !== "decide") return misplaced("decision_amounts", input.command);
  if (input.outcome !== "split") return null; // release and refund move the whole amount; no amount to check
  if (isPartialRefund(input.refundAmountMinor, escrow.amountMinor)) return null;
  return refundOutOfRange(input.refundAmountMinor, escrow.amountMinor);
};

const openedByEvaluator: Guard = ({ escrow }) => {
  if (escrow.disputeOpenedByEvaluator === true) return null;
  return reject(
    "dispute_not_withdrawable",
    "Only a dispute the evaluator opened on your behalf can be withdrawn, and only before the agent answers it. " +
      "To end a dispute you opened yourself, approve the delivery once the agent has responded.",
  );
};

export const GUARDS: Record<GuardName, Guard> = {
  deadline_reached: deadlineReached,
  delivery_precondition: deliveryPrecondition,
  overdue,
  reason_required: reasonRequired,
  explanation_required: explanationRequired,
  note_required: noteRequired,
  review_not_extended: reviewNotExtended,
  refund_in_range: refundInRange,
  settlement_by_other_party: settlementByOtherParty,
  decision_amounts: decisionAmounts,
  opened_by_evaluator: openedByEvaluator,
};

/** The first failing guard's rejection, in the order the row lists them; null when all hold. */
export function firstFailingGuard(guards: readonly GuardName[], ctx: GuardContext): Rejection | null {
  for (const name of guards) {
    const rejection = GUARDS[name](ctx);
    if (rejection !== null) return rejection;
  }
  return null;
}
