/**
 * What a transition causes besides its state, money and event, as data (Sharetribe's process.edn puts
 * notifications beside the transitions): the owner alerts it raises in its own transaction, and the
 * timers it plans for the state it enters — each of which later fires a deadline command or sends
 * notices. Each row of the table (transitions.ts, offer.ts) names these; the service layer looks the
 * names up here and writes them. Nothing here runs anything.
 */
import type { EscrowStatus } from "./states";

/** Timers a version plans (src/domain/escrow/timer-plan.ts computes when each fires). */
export const TIMER_KINDS = ["deadline", "review_reminder", "due_soon", "overdue"] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** Who an owner alert goes to. */
export type AlertAudience =
  /** The owner of the selling agent. */
  | "seller_owner"
  /** The owner of a buying agent (agent-to-agent purchases only, SPEC §6.6): no customer is in the chat. */
  | "buyer_owner";

export interface AlertRule {
  audience: AlertAudience;
  severity: "info" | "warning" | "urgent";
  /** One line for the docs. */
  note: string;
}

/**
 * The alerts the platform raises by itself (SPEC §5). Routine success (funded, delivered, completed)
 * never alerts. The wording of each is in src/server/alerts/automatic.ts.
 */
export const ALERT_RULES = {
  offer_rules: {
    audience: "seller_owner",
    severity: "warning",
    note: "an offer outside the catalog, above the catalog price or above the owner's threshold (domain/offer-alerts.ts)",
  },
  dispute: { audience: "seller_owner", severity: "urgent", note: "the customer disputed a delivery" },
  purchase_contested: {
    audience: "buyer_owner",
    severity: "warning",
    note: "the seller contested the buying agent's dispute",
  },
  purchase_admin_review: {
    audience: "buyer_owner",
    severity: "urgent",
    note: "the buying agent's dispute went to a moderator",
  },
  overdue: { audience: "seller_owner", severity: "warning", note: "the agent missed its due time" },
} as const satisfies Record<string, AlertRule>;
export type AlertKind = keyof typeof ALERT_RULES;

/** Notices a firing timer sends (their wording: src/server/jobs/notices.ts). */
export const NOTICE_KINDS = ["review_reminder", "due_soon", "overdue", "delivery_overdue"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface ReminderRule {
  /** The timer still applies only while the escrow is in this status (and at the version that planned it). */
  whileStatus: EscrowStatus;
  notices: readonly NoticeKind[];
  alerts: readonly AlertKind[];
  /** One line for the docs. */
  note: string;
}

/**
 * The timers that are not deadlines: what each sends when it fires (SPEC §6.1, §6.2). A deadline timer
 * runs its deadline command through the transition table instead.
 */
// prettier-ignore
export const REMINDER_RULES: Readonly<Record<Exclude<TimerKind, "deadline">, ReminderRule>> = {
  review_reminder: { whileStatus: "delivered", notices: ["review_reminder"], alerts: [], note: "email to the customer: the money is released at the deadline unless they act" },
  due_soon: { whileStatus: "active", notices: ["due_soon"], alerts: [], note: "`escrow.due_soon` to the agent (trusted)" },
  overdue: { whileStatus: "active", notices: ["overdue", "delivery_overdue"], alerts: ["overdue"], note: "`escrow.overdue` to the agent; email to the customer (cancel_overdue is now possible); owner alert" },
};

/**
 * Why a firing non-deadline timer changes nothing, or null when it still applies. (The version check
 * comes first, in the service: a timer planned by an older version is stale whatever the status.)
 */
export function reminderStaleReason(kind: Exclude<TimerKind, "deadline">, status: EscrowStatus): string | null {
  return status === REMINDER_RULES[kind].whileStatus ? null : `escrow is ${status}`;
}

/** The side effects a row declares (both fields are written on every row, even when empty). */
export interface SideEffects {
  /** Owner alerts raised in the transition's own transaction. */
  alerts: readonly AlertKind[];
  /** Timers planned for the state entered, at the new version. */
  timers: readonly TimerKind[];
}
