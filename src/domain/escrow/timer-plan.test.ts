import { describe, expect, it } from "vitest";
import { defaultReviewPolicy } from "./review-policy";
import { dueSoonAt, planTimers } from "./timer-plan";

const now = new Date("2026-01-05T10:00:00Z");
const at = (iso: string) => new Date(iso);
const settings = { reviewPolicy: defaultReviewPolicy(48 * 3600), dueSoonLeadS: 6 * 3600 };

describe("planTimers", () => {
  it("pending: only the offer expiry", () => {
    expect(
      planTimers({ status: "pending", deadline: at("2026-01-12T10:00:00Z"), deadlineAction: "offer_expired", dueAt: null }, now, settings),
    ).toEqual([{ kind: "deadline", action: "offer_expired", offsetS: 0, fireAt: at("2026-01-12T10:00:00Z") }]);
  });

  it("active: the auto-refund deadline, due soon and overdue", () => {
    const plan = planTimers(
      { status: "active", deadline: at("2026-01-08T10:00:00Z"), deadlineAction: "delivery_timeout", dueAt: at("2026-01-06T10:00:00Z") },
      now,
      settings,
    );
    expect(plan).toEqual([
      { kind: "deadline", action: "delivery_timeout", offsetS: 0, fireAt: at("2026-01-08T10:00:00Z") },
      { kind: "due_soon", action: null, offsetS: 0, fireAt: at("2026-01-06T04:00:00Z") },
      { kind: "overdue", action: null, offsetS: 0, fireAt: at("2026-01-06T10:00:00Z") },
    ]);
  });

  it("delivered: auto-release and the reminders at 24 h and 4 h left", () => {
    const plan = planTimers(
      { status: "delivered", deadline: at("2026-01-07T10:00:00Z"), deadlineAction: "auto_release", dueAt: at("2026-01-06T10:00:00Z") },
      now,
      settings,
    );
    expect(plan.map((t) => [t.kind, t.offsetS, t.fireAt.toISOString()])).toEqual([
      ["deadline", 0, "2026-01-07T10:00:00.000Z"],
      ["review_reminder", 86_400, "2026-01-06T10:00:00.000Z"],
      ["review_reminder", 14_400, "2026-01-07T06:00:00.000Z"],
    ]);
  });

  it("delivered without a policy: no reminders", () => {
    const plan = planTimers(
      { status: "delivered", deadline: at("2026-01-07T10:00:00Z"), deadlineAction: "auto_release", dueAt: null },
      now,
      { reviewPolicy: null, dueSoonLeadS: 60 },
    );
    expect(plan.map((t) => t.kind)).toEqual(["deadline"]);
  });

  it.each(["completed", "refunded", "resolved", "cancelled", "admin_review"] as const)("%s: nothing", (status) => {
    expect(planTimers({ status, deadline: null, deadlineAction: null, dueAt: at("2026-01-06T10:00:00Z") }, now, settings)).toEqual([]);
  });
});

describe("dueSoonAt", () => {
  it("is the lead before the due time", () => {
    expect(dueSoonAt(at("2026-01-06T10:00:00Z"), now, 3600)).toEqual(at("2026-01-06T09:00:00Z"));
  });
  it("is never earlier than halfway to the due time", () => {
    expect(dueSoonAt(at("2026-01-05T11:00:00Z"), now, 6 * 3600)).toEqual(at("2026-01-05T10:30:00Z"));
  });
});

// Issue 23: what planTimers must leave out.
describe("planTimers leaves out", () => {
  it("the deadline timer when the state has no deadline action, or no deadline", () => {
    expect(planTimers({ status: "admin_review", deadline: null, deadlineAction: null, dueAt: null }, now, settings)).toEqual([]);
    expect(
      planTimers({ status: "pending", deadline: at("2026-01-12T10:00:00Z"), deadlineAction: null, dueAt: null }, now, settings),
    ).toEqual([]);
    expect(planTimers({ status: "pending", deadline: null, deadlineAction: "offer_expired", dueAt: null }, now, settings)).toEqual([]);
  });

  it("review reminders unless the escrow is delivered and waiting for auto_release", () => {
    const deadline = at("2026-01-07T10:00:00Z");
    const kinds = (status: "delivered" | "disputed", deadlineAction: "auto_release" | "response_timeout") =>
      planTimers({ status, deadline, deadlineAction, dueAt: null }, now, settings).map((t) => t.kind);
    expect(kinds("delivered", "auto_release")).toEqual(["deadline", "review_reminder", "review_reminder"]);
    expect(kinds("disputed", "response_timeout")).toEqual(["deadline"]);
    expect(kinds("delivered", "response_timeout")).toEqual(["deadline"]);
  });

  it("due-time timers outside active, or without a due time", () => {
    const dueAt = at("2026-01-06T10:00:00Z");
    expect(planTimers({ status: "delivered", deadline: null, deadlineAction: null, dueAt }, now, settings)).toEqual([]);
    expect(planTimers({ status: "active", deadline: null, deadlineAction: null, dueAt: null }, now, settings)).toEqual([]);
  });
});

describe("dueSoonAt rounding", () => {
  it("lands on a whole millisecond halfway through an odd interval", () => {
    expect(dueSoonAt(new Date(now.getTime() + 3), now, 0).getTime()).toBe(now.getTime() + 3);
    expect(dueSoonAt(new Date(now.getTime() + 3), now, 1).getTime()).toBe(now.getTime() + 2);
    expect(dueSoonAt(new Date(now.getTime() + 3), now, 100).getTime()).toBe(now.getTime() + 2);
  });
});
