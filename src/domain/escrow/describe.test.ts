import { describe, expect, it } from "vitest";
import { describeLifecycleMarkdown } from "./describe";
import { TRANSITIONS } from "./transitions";

describe("describeLifecycleMarkdown", () => {
  const markdown = describeLifecycleMarkdown();
  const lines = markdown.trimEnd().split("\n");

  it("has a header, a separator and one row per transition, in table order", () => {
    expect(lines[0]).toBe("| from | command | actors | to | deadline entered | ledger | event | note |");
    expect(lines[1]).toBe("| --- | --- | --- | --- | --- | --- | --- | --- |");
    expect(lines.length).toBe(2 + TRANSITIONS.length);
    TRANSITIONS.forEach((rule, i) => {
      const cells = lines[i + 2]!.split(" | ");
      expect(cells[0]).toBe(`| \`${rule.from}\``);
      expect(cells[1]).toContain(`\`${rule.command}\``);
      expect(cells[3]).toBe(`\`${rule.to}\``);
      // The whole cell, not toContain: an empty event name is contained in every line (issue 23).
      expect(rule.event).toMatch(/^escrow\.[a-z]+(_[a-z]+)*$/);
      if (rule.via !== undefined) expect(rule.via).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(cells[6]).toBe(`\`${rule.event}\`` + (rule.via !== undefined ? ` (via ${rule.via})` : ""));
    });
  });

  it("shows guards, deadlines, money and causes", () => {
    expect(markdown).toContain(
      "| `pending` | `accept` | customer | `active` | `delivery_timeout` | fund | `escrow.funded` |",
    );
    expect(markdown).toContain("`cancel_overdue` [overdue]");
    expect(markdown).toContain(
      "| `delivered` | `extend_review` [review_not_extended] | customer | `delivered` | kept, pushed later |",
    );
    expect(markdown).toContain("release / refund / split");
    expect(markdown).toContain("`escrow.completed` (via withdrawn)");
  });

  it("every row has the same number of cells", () => {
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length).toBe(10);
  });
});
