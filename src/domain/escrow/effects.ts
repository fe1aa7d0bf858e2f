/**
 * What a transition does, computed from its table row: the deadline of the state entered and the
 * money that moves. Pure arithmetic; the service layer performs it in one database transaction.
 */
import { settlementSplit } from "../money";
import type { DeadlineAction, EscrowOutcome } from "./states";
import type { TransitionRule } from "./transitions";
import type { CommandInput, EscrowSnapshot, LedgerMovement, TimeWindows } from "./types";

/**
 * The delivery time assumed when an offer names none. A week: long enough for any reasonable job,
 * short enough that money is never held open-ended (SPEC §6.2: an agent that never delivers must
 * not hold money forever). Every funded escrow therefore has a due time and a delivery_timeout.
 */
export const DEFAULT_DELIVERY_IN_HOURS = 7 * 24;

const MS_PER_S = 1000;
const S_PER_HOUR = 3600;

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * MS_PER_S);
}

/** The deadline of a new offer; its deadline action is `offer_expired`. */
export function initialOfferDeadline(now: Date, windows: TimeWindows): Date {
  return addSeconds(now, windows.offerTtlS);
}

/** Hours of work promised from funding; a missing or non-positive value falls back to the default. */
export function effectiveDeliveryHours(deliveryInHours: number | null): number {
  return deliveryInHours !== null && Number.isFinite(deliveryInHours) && deliveryInHours > 0
    ? deliveryInHours
    : DEFAULT_DELIVERY_IN_HOURS;
}

export interface DeadlineFields {
  deadline: Date | null;
  deadlineAction: DeadlineAction | null;
  dueAt?: Date | null;
}

/** The deadline of the state the row enters, measured from `now` (the clock starts on entry). */
export function deadlineAfter(
  rule: TransitionRule,
  escrow: EscrowSnapshot,
  input: CommandInput,
  now: Date,
  windows: TimeWindows,
): DeadlineFields {
  if (rule.deadline === "keep") return keptDeadline(escrow, input, windows);
  if (rule.deadline === null) return { deadline: null, deadlineAction: null };
  const action = rule.deadline;
  switch (action) {
    case "delivery_timeout": {
      // Funding starts the work clock: due after the promised hours, auto-refund after a grace period.
      const dueAt = addSeconds(now, effectiveDeliveryHours(escrow.deliveryInHours) * S_PER_HOUR);
      return { deadline: addSeconds(dueAt, windows.deliveryGraceS), deadlineAction: action, dueAt };
    }
    case "offer_expired":
      return { deadline: initialOfferDeadline(now, windows), deadlineAction: action };
    case "auto_release":
      return { deadline: addSeconds(now, windows.reviewWindowS), deadlineAction: action };
    case "response_timeout":
      return { deadline: addSeconds(now, windows.responseWindowS), deadlineAction: action };
    case "negotiation_timeout":
      return { deadline: addSeconds(now, windows.negotiationWindowS), deadlineAction: action };
  }
}

/**
 * Self-transitions keep the running deadline — a settlement proposal must not reset the negotiation
 * clock, or the parties could stall forever. extend_review is the one that moves it: later by the
 * extension, counted from the old deadline so extending early gains the same as extending late.
 */
function keptDeadline(escrow: EscrowSnapshot, input: CommandInput, windows: TimeWindows): DeadlineFields {
  if (input.command === "extend_review" && escrow.deadline !== null) {
    return { deadline: addSeconds(escrow.deadline, windows.reviewExtensionS), deadlineAction: escrow.deadlineAction };
  }
  return { deadline: escrow.deadline, deadlineAction: escrow.deadlineAction };
}

export interface MoneyEffect {
  ledger: LedgerMovement[];
  /** Set when the escrow settles; absent while money stays put. */
  settled?: { outcome: EscrowOutcome; refundAmountMinor: number; sellerNetMinor: number; feeAmountMinor: number };
}

/** The movements of the row's ledger effect. Guards have already checked every amount used here. */
export function moneyEffect(rule: TransitionRule, escrow: EscrowSnapshot, input: CommandInput): MoneyEffect {
  switch (rule.ledger) {
    case null:
      return { ledger: [] };
    case "fund":
      return { ledger: [{ kind: "fund", from: "buyer_wallet", to: "escrow", amountMinor: escrow.amountMinor }] };
    case "release":
      return settle(escrow, 0, "released");
    case "refund":
      return settle(escrow, escrow.amountMinor, "refunded");
    case "split":
      return settle(escrow, acceptedSettlementRefund(escrow), "split");
    case "by_outcome":
      return settleByDecision(escrow, input);
  }
}

function acceptedSettlementRefund(escrow: EscrowSnapshot): number {
  if (escrow.openSettlement === null) throw new Error("split without an open settlement: guard missing");
  return escrow.openSettlement.refundAmountMinor;
}

function settleByDecision(escrow: EscrowSnapshot, input: CommandInput): MoneyEffect {
  if (input.command !== "decide") throw new Error(`ledger by_outcome needs a decide command, got ${input.command}`);
  switch (input.outcome) {
    case "release":
      return settle(escrow, 0, "released");
    case "refund":
      return settle(escrow, escrow.amountMinor, "refunded");
    case "split":
      if (input.refundAmountMinor === undefined) throw new Error("split decision without refund: guard missing");
      return settle(escrow, input.refundAmountMinor, "split");
  }
}

/**
 * Empties the escrow account: refund to the buyer, net to the seller, fee to the platform. Every
 * outcome is this one split (release = refund 0, refund = refund all), so the parts always sum to the
 * amount and the escrow account ends at exactly zero. Zero-amount movements are omitted.
 */
function settle(escrow: EscrowSnapshot, refundAmountMinor: number, outcome: EscrowOutcome): MoneyEffect {
  const split = settlementSplit(escrow.amountMinor, refundAmountMinor, escrow.feeBps);
  const ledger: LedgerMovement[] = [
    { kind: "refund", from: "escrow", to: "buyer_wallet", amountMinor: split.refundMinor },
    { kind: "release", from: "escrow", to: "seller_wallet", amountMinor: split.sellerNetMinor },
    { kind: "fee", from: "escrow", to: "platform_fee", amountMinor: split.feeMinor },
  ];
  return {
    ledger: ledger.filter((movement) => movement.amountMinor > 0),
    settled: {
      outcome,
      refundAmountMinor: split.refundMinor,
      sellerNetMinor: split.sellerNetMinor,
      feeAmountMinor: split.feeMinor,
    },
  };
}
