// The side effects each row declares (side-effects.ts), checked against what the rest of the domain
// does with the state the row enters, and written out by hand where they are a product decision.
import { describe, expect, it } from "vitest";
import { defaultReviewPolicy } from "./review-policy";
import { ALERT_RULES, NOTICE_KINDS, REMINDER_RULES, reminderStaleReason, TIMER_KINDS } from "./side-effects";
import type { DeadlineAction, EscrowStatus } from "./states";
import { planTimers } from "./timer-plan";
import { OFFER_RULE, TRANSITIONS } from "./transitions";

const now = new Date("2026-01-05T10:00:00Z");
const later = new Date("2026-01-09T10:00:00Z");
const dueAt = new Date("2026-01-07T10:00:00Z");
const settings = { reviewPolicy: defaultReviewPolicy(48 * 3600), dueSoonLeadS: 6 * 3600 };
/** The deadline each state runs while it lasts ("keep" rows stay in theirs). */
const DEADLINE_OF: Partial<Record<EscrowStatus, DeadlineAction>> = {
  pending: "offer_expired",
  active: "delivery_timeout",
  delivered: "auto_release",
  disputed: "response_timeout",
  negotiating: "negotiation_timeout",
};

const rows = [OFFER_RULE, ...TRANSITIONS];
const name = (rule: (typeof rows)[number]) => `${rule.from ?? "—"}/${rule.command}`;

describe("timers declared on each row", () => {
  it.each(rows.map((rule) => [name(rule), rule] as const))("%s declares exactly the timers its new state plans", (_, rule) => {
    const deadlineAction = rule.deadline === null ? null : rule.deadline === "keep" ? (DEADLINE_OF[rule.to] ?? null) : rule.deadline;
    const entered = { status: rule.to, deadline: deadlineAction ? later : null, deadlineAction, dueAt: rule.to === "active" ? dueAt : null };
    const planned = new Set(planTimers(entered, now, settings).map((t) => t.kind));
    expect([...rule.timers].sort()).toEqual([...planned].sort());
    // And the write path plans only what the row declares.
    expect(planTimers(entered, now, settings, rule.timers).every((t) => rule.timers.includes(t.kind))).toBe(true);
  });

  it("plans nothing for a kind the row leaves out", () => {
    const active = { status: "active" as const, deadline: later, deadlineAction: "delivery_timeout" as const, dueAt };
    expect(planTimers(active, now, settings, ["deadline"]).map((t) => t.kind)).toEqual(["deadline"]);
    expect(planTimers(active, now, settings, [])).toEqual([]);
    expect(planTimers(active, now, settings).map((t) => t.kind)).toEqual(["deadline", "due_soon", "overdue"]);
  });
});

describe("alerts declared on each row (SPEC §5, §6.6), by hand", () => {
  const EXPECTED: Record<string, string[]> = {
    "—/offer": ["offer_rules"],
    "delivered/dispute": ["dispute"],
    "disputed/defend": ["purchase_contested"],
    "disputed/response_timeout": ["purchase_admin_review"],
    "negotiating/escalate": ["purchase_admin_review"],
    "negotiating/negotiation_timeout": ["purchase_admin_review"],
  };

  it("only disputes and their escalations, and offers, alert; routine success never does", () => {
    const declared = Object.fromEntries(rows.filter((r) => r.alerts.length > 0).map((r) => [name(r), [...r.alerts]]));
    expect(declared).toEqual(EXPECTED);
    for (const rule of TRANSITIONS) {
      if (["active", "delivered", "completed"].includes(rule.to) && rule.from !== "disputed") expect(rule.alerts).toEqual([]);
    }
  });
});

describe("reminder timers", () => {
  it("every kind but the deadline has a rule", () => {
    expect(Object.keys(REMINDER_RULES).sort()).toEqual(TIMER_KINDS.filter((k) => k !== "deadline").sort());
  });

  it("the overdue timer tells the agent and the customer and alerts the owner", () => {
    expect(REMINDER_RULES.overdue).toMatchObject({ whileStatus: "active", notices: ["overdue", "delivery_overdue"], alerts: ["overdue"] });
    expect(REMINDER_RULES.due_soon).toMatchObject({ whileStatus: "active", notices: ["due_soon"], alerts: [] });
    expect(REMINDER_RULES.review_reminder).toMatchObject({ whileStatus: "delivered", notices: ["review_reminder"], alerts: [] });
  });

  it.each([
    ["review_reminder", "delivered", null],
    ["review_reminder", "disputed", "escrow is disputed"],
    ["due_soon", "active", null],
    ["due_soon", "delivered", "escrow is delivered"],
    ["overdue", "active", null],
    ["overdue", "refunded", "escrow is refunded"],
  ] as const)("%s while %s: %s", (kind, status, reason) => {
    expect(reminderStaleReason(kind, status)).toBe(reason);
  });
});

// Issue 23: who each automatic alert goes to and how loud it is (the owner's channels filter by severity).
describe("automatic alerts (SPEC §5)", () => {
  it("go to the seller's owner, or to the buying agent's owner for its purchases, at these severities", () => {
    const shown = Object.fromEntries(
      Object.entries(ALERT_RULES).map(([kind, rule]) => [kind, `${rule.audience} ${rule.severity}`]),
    );
    expect(shown).toEqual({
      offer_rules: "seller_owner warning",
      dispute: "seller_owner urgent",
      purchase_contested: "buyer_owner warning",
      purchase_admin_review: "buyer_owner urgent",
      overdue: "seller_owner warning",
    });
  });

  it("the notices and timers are the ones the jobs know", () => {
    expect(NOTICE_KINDS).toEqual(["review_reminder", "due_soon", "overdue", "delivery_overdue"]);
    expect(TIMER_KINDS).toEqual(["deadline", "review_reminder", "due_soon", "overdue"]);
  });
});
