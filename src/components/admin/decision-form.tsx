"use client";
// The moderator's decision: release, refund or split (refund amount typed in the currency's units), with
// a note both parties will read. The decision is final and moves money at once, so it is confirmed first
// with the amounts spelled out. Nothing is shown as decided until the server answers; if another moderator
// decided first, the page says so and shows their decision.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, card } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { checkDecision, decisionErrorWords, type CheckedDecision, type DecisionOutcome } from "./admin-words";
import type { AdminCase } from "./case-types";
import { ConfirmDecision } from "./confirm-decision";
import { NoteField, OutcomeChoices, SplitAmount } from "./decision-fields";

type Problem = { field: "outcome" | "refund" | "note"; message: string };

/** The form itself: checked in the page, then handed on for confirmation. Kept mounted (hidden) while confirming, so "Change it" returns to what was typed. */
function DecisionDraft({
  data,
  hidden,
  serverError,
  onReview,
}: {
  data: AdminCase;
  hidden: boolean;
  serverError: string | null;
  onReview: (d: CheckedDecision) => void;
}) {
  const { amount, currency } = data.escrow;
  const [outcome, setOutcome] = useState<DecisionOutcome | null>(null);
  const [refundText, setRefundText] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const clearProblem = (field: Problem["field"]) => setProblem((p) => (p?.field === field ? null : p));

  function review(event: React.FormEvent) {
    event.preventDefault();
    if (!outcome) return setProblem({ field: "outcome", message: "Choose release, refund or split." });
    const checked = checkDecision({ outcome, refundText, note }, data.escrow);
    if (!checked.ok) return setProblem({ field: checked.field, message: checked.message });
    setProblem(null);
    onReview(checked);
  }

  return (
    <form onSubmit={review} noValidate className="mt-3 space-y-4" hidden={hidden}>
      <OutcomeChoices
        data={data}
        outcome={outcome}
        onChange={(o) => {
          setOutcome(o);
          setProblem(null);
        }}
      />
      {outcome === "split" ? (
        <SplitAmount
          data={data}
          refundText={refundText}
          refundPreview={parseMoneyInput(refundText, currency)}
          invalid={problem?.field === "refund"}
          onChange={(text) => {
            setRefundText(text);
            clearProblem("refund");
          }}
        />
      ) : null}
      <NoteField
        note={note}
        invalid={problem?.field === "note"}
        onChange={(text) => {
          setNote(text);
          clearProblem("note");
        }}
      />
      <div aria-live="polite" className="space-y-2">
        {problem ? <ErrorNote>{problem.message}</ErrorNote> : null}
        {serverError ? <ErrorNote>{serverError}</ErrorNote> : null}
      </div>
      <button type="submit" className={buttonPrimary}>
        Record decision…
      </button>
      <p className="text-xs text-stone-600">
        You confirm the amounts on the next step ({formatMoney(amount, currency)} in escrow).
      </p>
    </form>
  );
}

export function DecisionForm({ data }: { data: AdminCase }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<CheckedDecision | null>(null);
  const decide = useMutation(
    trpc.admin.decide.mutationOptions({ onSettled: () => queryClient.invalidateQueries(trpc.admin.pathFilter()) }),
  );

  function record(checked: CheckedDecision) {
    const refund = checked.refundAmountMinor !== undefined ? { refundAmount: checked.refundAmountMinor } : {};
    decide.mutate(
      { escrowId: data.escrow.id, outcome: checked.outcome, note: checked.note, ...refund },
      { onError: () => setConfirming(null) },
    );
  }

  return (
    <section aria-labelledby="decision-heading" className={`${card} border-amber-300`}>
      <h2 id="decision-heading" className="text-lg font-semibold">
        Decide this case
      </h2>
      <p className="text-sm text-stone-600">One decision per case, final. Your note is shown to both parties.</p>
      {confirming ? (
        <ConfirmDecision
          data={data}
          decision={confirming}
          pending={decide.isPending}
          onConfirm={() => record(confirming)}
          onBack={() => setConfirming(null)}
        />
      ) : null}
      <DecisionDraft
        data={data}
        hidden={confirming !== null}
        serverError={decide.isError ? decisionErrorWords(appError(decide.error)) : null}
        onReview={(checked) => {
          decide.reset();
          setConfirming(checked);
        }}
      />
    </section>
  );
}
