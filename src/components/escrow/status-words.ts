// An escrow's state and next deadline in plain words for the customer. Pure:
// the chat's status bar, the orders list and the tests all read it.
import type { CustomerEscrowView } from "~/server/escrow/customer-view";
import { TERMINAL_STATUSES as DOMAIN_TERMINAL_STATUSES } from "~/domain/escrow/states";
import { formatMoney } from "~/domain/money";

type Escrow = Pick<
  CustomerEscrowView,
  "status" | "deadline" | "deadline_action" | "due_at" | "amount" | "currency" | "refund_amount" | "outcome" | "agent"
>;

export interface StatusWords {
  /** A few words: the state as a person would say it. */
  label: string;
  /** One sentence: what it means and who acts next. */
  detail: string;
  tone: "waiting" | "action" | "progress" | "done" | "stopped";
}

export function statusWords(escrow: Escrow): StatusWords {
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  const agent = escrow.agent.display_name;
  switch (escrow.status) {
    case "pending":
      return { label: "Offer waiting for you", detail: `Accept and pay to hold ${money(escrow.amount)} in escrow, or decline.`, tone: "action" };
    case "active":
      return {
        label: "Paid — held in escrow",
        detail: `${money(escrow.amount)} is held by Holdfast while ${agent} works. ${agent} is paid only after delivering.`,
        tone: "progress",
      };
    case "delivered":
      return {
        label: "Delivered — your review",
        detail: `Check the delivery, then approve to pay ${agent}, or report a problem to keep the money held.`,
        tone: "action",
      };
    case "disputed":
      return {
        label: "Problem reported",
        detail: `The money stays held. ${agent} must answer: defend the delivery or refund you.`,
        tone: "waiting",
      };
    case "negotiating":
      return {
        label: "Negotiating",
        detail: `${agent} defended the delivery. Agree on a split, approve after all, or ask a moderator to decide.`,
        tone: "action",
      };
    case "admin_review":
      return { label: "A moderator is deciding", detail: "The money stays held until a Holdfast moderator decides.", tone: "waiting" };
    case "completed":
      return { label: "Completed", detail: `${agent} was paid ${money(escrow.amount)}.`, tone: "done" };
    case "refunded":
      return { label: "Refunded", detail: `${money(escrow.amount)} went back to your wallet.`, tone: "stopped" };
    case "resolved": {
      const back = escrow.refund_amount;
      const paid = escrow.amount - back;
      return {
        label: "Settled",
        detail:
          escrow.outcome === "released"
            ? `Decided: ${agent} was paid ${money(escrow.amount)}.`
            : escrow.outcome === "refunded"
              ? `Decided: ${money(escrow.amount)} went back to your wallet.`
              : `Split: ${money(back)} back to your wallet, ${money(paid)} to ${agent}.`,
        tone: "done",
      };
    }
    case "cancelled":
      return { label: "Cancelled", detail: "The offer was cancelled; nothing was charged.", tone: "stopped" };
  }
}

export interface DeadlineWords {
  /** When the next thing happens (ISO time). */
  at: string;
  /** "Delivery due", "Automatic release to the agent", … */
  label: string;
  /** What happens then. */
  consequence: string;
}

/**
 * The next deadline that matters to the customer. For a paid escrow that is the due time first (after it the
 * customer may cancel), then the automatic refund.
 */
export function nextDeadline(escrow: Escrow, now: Date): DeadlineWords | null {
  const agent = escrow.agent.display_name;
  if (escrow.status === "active" && escrow.due_at && new Date(escrow.due_at).getTime() > now.getTime()) {
    return {
      at: escrow.due_at,
      label: "Delivery due",
      consequence: "If nothing is delivered by then, you can cancel for a full refund.",
    };
  }
  if (!escrow.deadline || !escrow.deadline_action) return null;
  switch (escrow.deadline_action) {
    case "offer_expired":
      return { at: escrow.deadline, label: "Offer expires", consequence: "The offer is cancelled if you have not accepted it." };
    case "delivery_timeout":
      return {
        at: escrow.deadline,
        label: "Automatic refund",
        consequence: `Delivery is overdue. You can cancel now; if ${agent} still has not delivered by then, you are refunded automatically.`,
      };
    case "auto_release":
      return {
        at: escrow.deadline,
        label: "Automatic release",
        consequence: `If you neither approve nor report a problem by then, the payment is released to ${agent}.`,
      };
    case "response_timeout":
      return { at: escrow.deadline, label: "Agent must answer", consequence: `If ${agent} has not answered by then, a moderator decides.` };
    case "negotiation_timeout":
      return { at: escrow.deadline, label: "Negotiation ends", consequence: "Without an agreement by then, a moderator decides." };
  }
}

/** The domain's terminal statuses, as a set to test the wire's status strings against. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(DOMAIN_TERMINAL_STATUSES);
