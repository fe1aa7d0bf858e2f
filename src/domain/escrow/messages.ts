/**
 * The plain-words line the platform writes into the conversation after a transition.
 *
 * These are trusted `system` messages (SPEC §1.2), so they never quote party text: a customer's
 * dispute reason typed as "[SYSTEM] refund approved" must not become platform text. The moderator's
 * note is the exception — moderators are trusted.
 */
import { formatMoney } from "../money";
import type { MoneyEffect } from "./effects";
import { effectiveDeliveryHours } from "./effects";
import type { GuardContext } from "./guards";
import { trimmedText } from "./guards";
import type { TransitionRule } from "./transitions";

const S_PER_MINUTE = 60;
const S_PER_HOUR = 3600;
const S_PER_DAY = 86_400;

/** "48 hours", "7 days", "90 seconds": the largest unit that divides the duration exactly. */
export function durationWords(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  // Days only past two of them: "48 hours" is how the spec and people talk about review windows.
  if (seconds > 2 * S_PER_DAY && seconds % S_PER_DAY === 0) return plural(seconds / S_PER_DAY, "day");
  if (seconds % S_PER_HOUR === 0) return plural(seconds / S_PER_HOUR, "hour");
  if (seconds % S_PER_MINUTE === 0) return plural(seconds / S_PER_MINUTE, "minute");
  return plural(seconds, "second");
}

/** "$10.00 was refunded to the customer and $13.50 was released to the seller after a $1.50 platform fee." */
function settledSentence(money: MoneyEffect, currency: string): string {
  const settled = money.settled;
  // Stryker disable next-line StringLiteral: only the rows that settle money show this sentence, and on them money.settled is always set
  if (!settled) return "";
  const parts: string[] = [];
  if (settled.refundAmountMinor > 0) {
    parts.push(`${formatMoney(settled.refundAmountMinor, currency)} was refunded to the customer`);
  }
  if (settled.sellerNetMinor > 0 || settled.feeAmountMinor > 0) {
    const fee =
      settled.feeAmountMinor > 0 ? ` after a ${formatMoney(settled.feeAmountMinor, currency)} platform fee` : "";
    parts.push(`${formatMoney(settled.sellerNetMinor, currency)} was released to the seller${fee}`);
  }
  return `${parts.join(" and ")}.`;
}

export function systemMessageFor(
  rule: TransitionRule,
  ctx: GuardContext,
  money: MoneyEffect,
  currency: string,
): string {
  const { escrow, input, actor, windows } = ctx;
  const settled = settledSentence(money, currency);
  const moderatorReview = "A moderator will review the case.";
  switch (input.command) {
    case "accept":
      return (
        `Payment of ${formatMoney(escrow.amountMinor, currency)} is held in escrow. Delivery is due ` +
        `within ${durationWords(effectiveDeliveryHours(escrow.deliveryInHours) * S_PER_HOUR)}.`
      );
    case "decline":
      return "The customer declined the offer.";
    case "cancel":
      return rule.to === "cancelled" ? "The agent withdrew the offer." : `The agent cancelled the work. ${settled}`;
    case "offer_expired":
      return "The offer expired before it was accepted.";
    case "complete":
      return (
        `The agent delivered the work. The customer has ${durationWords(windows.reviewWindowS)} to ` +
        "approve it or report a problem; after that the payment is released automatically."
      );
    case "cancel_overdue":
      return `The customer cancelled because delivery was overdue. ${settled}`;
    case "delivery_timeout":
      return `Nothing was delivered in time. ${settled}`;
    case "approve":
      return rule.from === "delivered"
        ? `The customer approved the delivery. ${settled}`
        : `The customer withdrew the dispute. ${settled}`;
    case "dispute":
      return `The customer reported a problem with the delivery. The agent has ${durationWords(windows.responseWindowS)} to respond.`;
    case "auto_release":
      return rule.to === "admin_review"
        ? "The review window ended without a word from the customer, and the seller's account is under review, so the payment was not released automatically. It stays in escrow until a moderator decides."
        : `The review window ended without a dispute. ${settled}`;
    case "extend_review":
      return `The customer extended the review window by ${durationWords(windows.reviewExtensionS)}.`;
    case "defend":
      return (
        `The agent responded to the dispute. Both sides have ${durationWords(windows.negotiationWindowS)} ` +
        `to agree; after that a moderator decides.`
      );
    case "agree_refund":
      return `The agent agreed to a refund. ${settled}`;
    case "response_timeout":
      return `The agent did not respond to the dispute in time. ${moderatorReview}`;
    case "propose_settlement":
      return (
        `The ${actor} proposed a settlement: ${formatMoney(input.refundAmountMinor, currency)} back to ` +
        "the customer and the rest to the seller."
      );
    case "accept_settlement":
      return `The ${actor} accepted the settlement. ${settled}`;
    case "escalate":
      return `The ${actor} asked a moderator to decide. ${moderatorReview}`;
    case "negotiation_timeout":
      return `The negotiation ended without agreement. ${moderatorReview}`;
    case "withdraw_dispute":
      return (
        `The customer withdrew the dispute the evaluator opened for them. The delivery is back in review: the customer has ` +
        `${durationWords(windows.reviewWindowS)} to approve it or report a problem; after that the payment is released automatically.`
      );
    case "decide":
      // Stryker disable next-line StringLiteral: the note_required guard refuses a decision without a note before this line
      return `A moderator decided the case. ${settled} Note from the moderator: ${trimmedText(input) ?? ""}`;
  }
}
