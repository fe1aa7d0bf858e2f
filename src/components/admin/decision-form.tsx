"use client";
// The moderator's decision: release, refund or split (refund amount typed in
// the currency's units), with a note both parties will read. Nothing is shown
// as decided until the server answers; if another moderator decided first,
// the page says so and shows their decision.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { checkDecision, decisionErrorWords, type DecisionOutcome } from "./admin-words";
import type { AdminCase } from "./case-types";

export function DecisionForm({ data }: { data: AdminCase }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { amount, currency } = data.escrow;
  const money = (minor: number) => formatMoney(minor, currency);
  const [outcome, setOutcome] = useState<DecisionOutcome | null>(null);
  const [refundText, setRefundText] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<{ field: "outcome" | "refund" | "note"; message: string } | null>(null);
  const decide = useMutation(
    trpc.admin.decide.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.admin.pathFilter()),
    }),
  );

  const choices: { value: DecisionOutcome; label: string }[] = [
    { value: "release", label: `Release: ${money(amount)} to ${data.agent.display_name}` },
    { value: "refund", label: `Refund: ${money(amount)} back to ${data.customer.display_name}` },
    { value: "split", label: "Split: part back to the customer, the rest to the agent" },
  ];
  const refundPreview = outcome === "split" ? parseMoneyInput(refundText, currency) : null;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!outcome) return setProblem({ field: "outcome", message: "Choose release, refund or split." });
    const checked = checkDecision({ outcome, refundText, note }, data.escrow);
    if (!checked.ok) return setProblem({ field: checked.field, message: checked.message });
    setProblem(null);
    decide.mutate({
      escrowId: data.escrow.id,
      outcome: checked.outcome,
      note: checked.note,
      ...(checked.refundAmountMinor !== undefined ? { refundAmount: checked.refundAmountMinor } : {}),
    });
  }

  return (
    <section aria-labelledby="decision-heading" className={`${card} border-amber-300`}>
      <h2 id="decision-heading" className="text-lg font-semibold">
        Decide this case
      </h2>
      <p className="text-sm text-stone-600">One decision per case, final. Your note is shown to both parties.</p>
      <form onSubmit={submit} noValidate className="mt-3 space-y-4">
        <fieldset>
          <legend className="text-sm font-medium">Decision</legend>
          <div className="mt-1 space-y-1">
            {choices.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="outcome"
                  value={choice.value}
                  checked={outcome === choice.value}
                  onChange={() => {
                    setOutcome(choice.value);
                    setProblem(null);
                  }}
                />
                {choice.label}
              </label>
            ))}
          </div>
        </fieldset>
        {outcome === "split" ? (
          <div>
            <label htmlFor="refund-amount" className="block text-sm font-medium">
              Refund to the customer ({currency})
            </label>
            <input
              id="refund-amount"
              inputMode="decimal"
              value={refundText}
              onChange={(e) => {
                setRefundText(e.target.value);
                if (problem?.field === "refund") setProblem(null);
              }}
              aria-invalid={problem?.field === "refund"}
              aria-describedby="refund-preview"
              className={`${inputField} mt-1 w-40`}
            />
            <p id="refund-preview" className="mt-1 text-xs text-stone-600" data-testid="split-preview">
              {refundPreview !== null && refundPreview > 0 && refundPreview < amount
                ? `${money(refundPreview)} back to ${data.customer.display_name}, ${money(amount - refundPreview)} to ${data.agent.display_name} (of ${money(amount)}).`
                : `Between ${money(0)} and ${money(amount)}, both excluded.`}
            </p>
          </div>
        ) : null}
        <div>
          <label htmlFor="decision-note" className="block text-sm font-medium">
            Note to both parties (required)
          </label>
          <textarea
            id="decision-note"
            rows={3}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              if (problem?.field === "note") setProblem(null);
            }}
            maxLength={5_000}
            aria-invalid={problem?.field === "note"}
            className={`${inputField} mt-1`}
          />
        </div>
        <div aria-live="polite" className="space-y-2">
          {problem ? <ErrorNote>{problem.message}</ErrorNote> : null}
          {decide.isError ? <ErrorNote>{decisionErrorWords(appError(decide.error))}</ErrorNote> : null}
        </div>
        <button type="submit" className={buttonPrimary} disabled={decide.isPending}>
          {decide.isPending ? "Recording…" : "Record decision"}
        </button>
      </form>
    </section>
  );
}
