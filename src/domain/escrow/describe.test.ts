import { describe, expect, it } from "vitest";
import { describeLifecycleMarkdown } from "./describe";
import { REMINDER_RULES } from "./side-effects";
import { TRANSITIONS } from "./transitions";

describe("describeLifecycleMarkdown", () => {
  const markdown = describeLifecycleMarkdown();
  const [lifecycle = "", reminders = ""] = markdown.trimEnd().split("\n\n");
  const lines = lifecycle.split("\n");

  it("has a header, a separator, the offer and one row per transition, in table order", () => {
    expect(lines[0]).toBe("| from | command | actors | to | deadline entered | ledger | event | side effects | note |");
    expect(lines[1]).toBe("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    expect(lines.length).toBe(3 + TRANSITIONS.length);
    expect(lines[2]).toMatch(
      /^\| — \| `offer` \[offer_fields, currency_enabled, within_tier_limits\] \| agent \| `pending` \| `offer_expired` \| — \| `escrow\.offered` \| timers: `deadline`; alerts: `offer_rules` \| /,
    );
    TRANSITIONS.forEach((rule, i) => {
      const cells = lines[i + 3]!.split(" | ");
      expect(cells[0]).toBe(`| \`${rule.from}\``);
      expect(cells[1]).toContain(`\`${rule.command}\``);
      expect(cells[3]).toBe(`\`${rule.to}\``);
      // The whole cell, not toContain: an empty event name is contained in every line (issue 23).
      expect(rule.event).toMatch(/^escrow\.[a-z]+(_[a-z]+)*$/);
      if (rule.via !== undefined) expect(rule.via).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(cells[6]).toBe(`\`${rule.event}\`` + (rule.via !== undefined ? ` (via ${rule.via})` : ""));
    });
  });

  it("shows guards, deadlines, money, causes and side effects", () => {
    expect(markdown).toContain(
      "| `pending` | `accept` | customer | `active` | `delivery_timeout` | fund | `escrow.funded` | timers: `deadline`, `due_soon`, `overdue` |",
    );
    expect(markdown).toContain("`cancel_overdue` [overdue]");
    expect(markdown).toContain(
      "| `delivered` | `extend_review` [review_not_extended] | customer | `delivered` | kept, pushed later |",
    );
    expect(markdown).toContain("| `escrow.disputed` | timers: `deadline`; alerts: `dispute` |");
    expect(markdown).toContain("| `escrow.admin_review` (via escalate) | alerts: `purchase_admin_review` |");
    expect(markdown).toContain("| `escrow.declined` | — |");
    expect(markdown).toContain("release / refund / split");
    expect(markdown).toContain("`escrow.completed` (via withdrawn)");
  });

  it("lists what each reminder timer sends", () => {
    const rows = reminders.split("\n");
    expect(rows[0]).toBe("| timer | applies while | notices | alerts | what it sends |");
    expect(rows.length).toBe(2 + Object.keys(REMINDER_RULES).length);
    expect(reminders).toContain("| `overdue` | `active` | `overdue`, `delivery_overdue` | `overdue` |");
    expect(reminders).toContain("| `review_reminder` | `delivered` | `review_reminder` | — |");
  });

  it("renders rows without a deadline, a kept deadline, two actors and two guards whole", () => {
    expect(markdown).toContain("| `pending` | `decline` | customer | `cancelled` | none | — | `escrow.declined` | — |");
    expect(markdown).toContain(
      "| `negotiating` | `propose_settlement` [refund_in_range] | customer, agent | `negotiating` | kept | — | `escrow.settlement_proposed` | timers: `deadline` |",
    );
    expect(markdown).toContain(
      "| `admin_review` | `decide` [note_required, decision_amounts] | moderator | `resolved` | none | release / refund / split | `escrow.resolved` (via moderator) | — |",
    );
  });

  it("the reminders table has its separator row", () => {
    expect(reminders.split("\n")[1]).toBe("| --- | --- | --- | --- | --- |");
  });

  it("every row has the same number of cells", () => {
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length).toBe(11);
  });
});
