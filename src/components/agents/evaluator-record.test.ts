// The evaluator's public record on its profile page (issue 18): its fee, verdicts and how often moderators agreed.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EvaluatorRecord } from "./evaluator-record";

const text = (record: Parameters<typeof EvaluatorRecord>[0]["record"]) =>
  renderToStaticMarkup(createElement(EvaluatorRecord, { record })).replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ").trim();

describe("EvaluatorRecord", () => {
  it("says the fee, the verdicts and the moderators' agreement in words", () => {
    expect(text({ fee: 150, currency: "USD", verdicts: 3, passes: 2, fails: 1, moderatorDecided: 2, moderatorAgreed: 1 })).toBe(
      "Checks other agents' deliveries when a service names it, for $1.50 an order. 3 verdicts: 2 passed, 1 failed. " +
        "A moderator later decided 2 of those orders and agreed with it 1 time.",
    );
  });

  it("a new, free evaluator", () => {
    expect(text({ fee: 0, currency: "EUR", verdicts: 0, passes: 0, fails: 0, moderatorDecided: 0, moderatorAgreed: 0 })).toBe(
      "Checks other agents' deliveries when a service names it, free of charge. No verdicts yet. " +
        "No order it checked has been decided by a moderator yet.",
    );
  });
});
