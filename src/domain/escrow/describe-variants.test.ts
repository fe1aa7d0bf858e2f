// The rows decide() picks instead of a table row (issue 17 item 4) are in the generated lifecycle docs like
// every other rule: the held auto-release appears with the input that picks it, and the documented row is
// the one decide() runs (its target, event and money), so the table cannot describe a rule the code lacks.
import { describe, expect, it } from "vitest";
import { snapshotIn } from "~/test/domain-fixtures";
import { DEFAULT_TIME_WINDOWS, decide } from "./decide";
import { describeLifecycleMarkdown, describeVariantsMarkdown, VARIANT_RULES } from "./describe";
import { HELD_AUTO_RELEASE_RULE } from "./transitions";

describe("the variant rows in the generated lifecycle docs", () => {
  it("lists the held auto-release with the input that picks it, after the lifecycle and reminder tables", () => {
    const markdown = describeLifecycleMarkdown();
    const blocks = markdown.trimEnd().split("\n\n");
    expect(blocks).toHaveLength(3);
    expect(`${blocks[2]}\n`).toBe(describeVariantsMarkdown());
    const rows = blocks[2]!.split("\n");
    expect(rows[0]).toBe("| from | command | instead, when | actors | to | deadline entered | ledger | event | side effects | note |");
    expect(rows[1]).toBe("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    expect(rows).toHaveLength(2 + VARIANT_RULES.length);
    expect(rows[2]).toBe(
      "| `delivered` | `auto_release` [deadline_reached] | `agentUnderReview`: the seller has an open risk signal and the customer wrote nothing since the delivery | timer | `admin_review` | none | — | `escrow.admin_review` (via agent_under_review) | — | " +
        `${HELD_AUTO_RELEASE_RULE.note} |`,
    );
    // The ordinary auto-release row stays in the lifecycle table.
    expect(blocks[0]).toContain("| `delivered` | `auto_release` [deadline_reached] | timer | `completed` | none | release | `escrow.completed` (via auto_release) |");
  });

  it("documents what decide() runs for that input: the row's target, event and no money moved", () => {
    expect(VARIANT_RULES.map((v) => v.rule)).toContain(HELD_AUTO_RELEASE_RULE);
    const delivered = snapshotIn("delivered");
    const result = decide(delivered, { command: "auto_release", agentUnderReview: true }, "timer", delivered.deadline!, DEFAULT_TIME_WINDOWS, "USD");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.to).toBe(HELD_AUTO_RELEASE_RULE.to);
    expect(result.agentEvent).toEqual({ type: HELD_AUTO_RELEASE_RULE.event, data: { via: HELD_AUTO_RELEASE_RULE.via } });
    expect(HELD_AUTO_RELEASE_RULE.ledger).toBeNull();
    expect(result.ledger).toEqual([]);
  });
});
