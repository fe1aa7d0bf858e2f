"use client";
// The last step before a decision is recorded: the money each side gets, in words, and that it is final.
// Focus moves here so a keyboard or screen-reader user lands on the question, and back to the form on "Change it".
import { useEffect, useRef } from "react";
import { formatMoney } from "~/components/ui/format";
import { buttonPrimary, buttonSecondary } from "~/components/ui/styles";
import type { AdminCase } from "./case-types";
import type { CheckedDecision } from "./admin-words";

/** What the decision does with the money, in one sentence. */
export function decisionMoneyWords(data: AdminCase, decision: CheckedDecision): string {
  const { amount, currency } = data.escrow;
  const money = (minor: number) => formatMoney(minor, currency);
  const agent = data.agent.display_name;
  const customer = data.customer.display_name;
  switch (decision.outcome) {
    case "release":
      return `Release all ${money(amount)} to ${agent} (less the platform fee); ${customer} gets nothing back.`;
    case "refund":
      return `Refund all ${money(amount)} to ${customer}; ${agent} gets nothing.`;
    case "split": {
      const refund = decision.refundAmountMinor ?? 0;
      return `Refund ${money(refund)} to ${customer} and release ${money(amount - refund)} to ${agent} (less the platform fee on that part).`;
    }
  }
}

export function ConfirmDecision({
  data,
  decision,
  pending,
  onConfirm,
  onBack,
}: {
  data: AdminCase;
  decision: CheckedDecision;
  pending: boolean;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div
      role="group"
      aria-labelledby="confirm-decision-heading"
      className="mt-3 space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3"
      data-testid="confirm-decision"
    >
      <h3 id="confirm-decision-heading" ref={heading} tabIndex={-1} className="font-semibold outline-none">
        Confirm the decision
      </h3>
      <p className="text-sm" data-testid="confirm-decision-money">
        {decisionMoneyWords(data, decision)}
      </p>
      <p className="whitespace-pre-wrap break-words text-sm">Your note to both parties: “{decision.note}”</p>
      <p className="text-sm font-medium text-amber-950">
        This is final: the money moves at once and cannot be moved back.
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonPrimary} onClick={onConfirm} disabled={pending}>
          {pending ? "Recording…" : "Yes, record this decision"}
        </button>
        <button type="button" className={buttonSecondary} onClick={onBack} disabled={pending}>
          Change it
        </button>
      </div>
    </div>
  );
}
