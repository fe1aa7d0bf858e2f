import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { codeWords, customerErrorMessage, plainWords } from "./plain-words";

function trpcError(message: string, data: Record<string, unknown>) {
  const error = new TRPCClientError(message);
  Object.defineProperty(error, "data", { value: data });
  return error;
}

describe("plain words for people", () => {
  it("says states, commands and transfer kinds in words", () => {
    expect(plainWords("This escrow is admin_review, so propose_settlement is not possible.")).toBe(
      "This escrow is with a moderator, so propose a split is not possible.",
    );
    expect(codeWords("hold_release")).toBe("held payout released");
    expect(codeWords("some_new_kind")).toBe("some new kind");
  });

  it("never shows a ledger account key", () => {
    expect(plainWords("moved from wallet:usr_123:USD to escrow:esc_9 and platform_fee:USD")).toBe(
      "moved from a wallet to the escrow and Holdfast's fees",
    );
  });

  it("turns an agent-facing refusal into words for the customer", () => {
    const error = trpcError("This escrow is admin_review, so approve is not possible. What you can do now: escalate.", {
      appCode: "invalid_transition",
    });
    const words = customerErrorMessage(error);
    expect(words).toMatch(/no longer possible/);
    expect(words).not.toMatch(/_|escalate/);
  });

  it("reads a validation failure from its first issue, not the raw list", () => {
    const error = trpcError('[{"code":"too_big"}]', { appCode: "validation_error", zodIssues: [{ path: "amount", message: "Too big" }] });
    expect(customerErrorMessage(error)).toBe("That was not accepted: Too big.");
  });
});
