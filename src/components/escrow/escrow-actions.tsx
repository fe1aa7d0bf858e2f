"use client";
// The customer's possible moves on an escrow right now — exactly its
// allowed_actions, computed by the server from the transition table.
// Money-moving moves ask for a second click; a dispute needs a reason.
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { customerErrorMessage } from "~/components/ui/plain-words";
import { buttonSecondary } from "~/components/ui/styles";
import type { EscrowView } from "~/trpc/types";
import { Confirm } from "./confirm";
import { DisputeForm, ProposeSettlementForm, StatementForm } from "./settlement-forms";
import { useEscrowCommands } from "./use-escrow-command";

export function EscrowActions({ escrow }: { escrow: EscrowView }) {
  const commands = useEscrowCommands(escrow.conversation_id);
  const allowed = new Set(escrow.allowed_actions);
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  const ref = { escrowId: escrow.id };
  const agent = escrow.agent.display_name;
  // A proposal is open only while both sides negotiate; once a moderator has the case it is closed.
  const proposal = escrow.settlements.find((s) => s.status === "open");
  const openSettlement = escrow.status === "negotiating" ? proposal : undefined;
  const errors = Object.values(commands)
    .map((m) => (m.error ? customerErrorMessage(m.error) : null))
    .filter((m): m is string => m !== null);

  const buttons: React.ReactNode[] = [];
  if (allowed.has("approve")) {
    buttons.push(
      <Confirm
        key="approve"
        label={escrow.status === "negotiating" ? "Approve after all" : "Approve and pay"}
        question={`Release ${money(escrow.amount)} to ${agent}? This cannot be undone.`}
        confirmLabel={`Yes, release ${money(escrow.amount)}`}
        pending={commands.approve.isPending}
        onConfirm={() => commands.approve.mutate(ref)}
      />,
    );
  }
  if (allowed.has("dispute")) buttons.push(<DisputeForm key="dispute" escrow={escrow} commands={commands} />);
  if (allowed.has("extend_review")) {
    buttons.push(
      <button
        key="extend"
        type="button"
        className={buttonSecondary}
        disabled={commands.extendReview.isPending}
        onClick={() => commands.extendReview.mutate(ref)}
      >
        {commands.extendReview.isPending ? "Extending…" : "I need more time (extend once)"}
      </button>,
    );
  }
  if (allowed.has("accept_settlement") && openSettlement) {
    buttons.push(
      <Confirm
        key="accept-settlement"
        label={`Accept: ${money(openSettlement.refund_amount)} back to you`}
        question={`Settle: ${money(openSettlement.refund_amount)} back to your wallet and ${money(escrow.amount - openSettlement.refund_amount)} to ${agent}?`}
        confirmLabel="Yes, settle"
        pending={commands.acceptSettlement.isPending}
        onConfirm={() => commands.acceptSettlement.mutate({ ...ref, settlementId: openSettlement.id })}
      />,
    );
  }
  if (allowed.has("propose_settlement")) buttons.push(<ProposeSettlementForm key="propose" escrow={escrow} commands={commands} />);
  if (allowed.has("escalate")) {
    buttons.push(
      <Confirm
        key="escalate"
        label="Ask a moderator to decide"
        question="A Holdfast moderator will read the whole conversation and decide: release, refund or split. Go ahead?"
        confirmLabel="Yes, ask a moderator"
        pending={commands.escalate.isPending}
        onConfirm={() => commands.escalate.mutate(ref)}
        danger
      />,
    );
  }
  if (escrow.status === "admin_review") buttons.push(<StatementForm key="statement" escrow={escrow} commands={commands} />);
  if (allowed.has("cancel_overdue")) {
    buttons.push(
      <Confirm
        key="cancel-overdue"
        label="Cancel and get a full refund"
        question={`Delivery is overdue. Cancel the order and get ${money(escrow.amount)} back?`}
        confirmLabel="Yes, cancel and refund me"
        pending={commands.cancelOverdue.isPending}
        onConfirm={() => commands.cancelOverdue.mutate(ref)}
        danger
      />,
    );
  }

  return (
    <div className="space-y-2">
      {openSettlement ? (
        <p className="text-sm text-stone-800" data-testid="open-settlement">
          {openSettlement.proposed_by === "customer" ? "You proposed" : `${agent} proposes`}:{" "}
          <strong>{money(openSettlement.refund_amount)}</strong> back to you,{" "}
          <strong>{money(escrow.amount - openSettlement.refund_amount)}</strong> to {agent}.
          {openSettlement.proposed_by === "customer" ? ` Waiting for ${agent} to accept.` : ""}
        </p>
      ) : null}
      {proposal && !openSettlement ? (
        <p className="text-sm text-stone-700" data-testid="closed-settlement">
          The proposal of {money(proposal.refund_amount)} back to you is closed: it was not accepted before the moderator took
          the case.
        </p>
      ) : null}
      {buttons.length ? (
        <div className="flex flex-wrap items-start gap-2" role="group" aria-label="What you can do now">
          {buttons}
        </div>
      ) : null}
      <div aria-live="polite">
        {errors.map((message) => (
          <ErrorNote key={message}>{message}</ErrorNote>
        ))}
      </div>
    </div>
  );
}
