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

type Commands = ReturnType<typeof useEscrowCommands>;
type Settlement = EscrowView["settlements"][number];

/** The moves that release or return money: each asks once more, saying the amounts. */
function moneyMoves(escrow: EscrowView, commands: Commands, openSettlement: Settlement | undefined): React.ReactNode[] {
  const allowed = new Set(escrow.allowed_actions);
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  const ref = { escrowId: escrow.id };
  const agent = escrow.agent.display_name;
  const moves: React.ReactNode[] = [];
  if (allowed.has("approve")) {
    moves.push(
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
  if (allowed.has("accept_settlement") && openSettlement) {
    const back = openSettlement.refund_amount;
    moves.push(
      <Confirm
        key="accept-settlement"
        label={`Accept: ${money(back)} back to you`}
        question={`Settle: ${money(back)} back to your wallet and ${money(escrow.amount - back)} to ${agent}?`}
        confirmLabel="Yes, settle"
        pending={commands.acceptSettlement.isPending}
        onConfirm={() => commands.acceptSettlement.mutate({ ...ref, settlementId: openSettlement.id })}
      />,
    );
  }
  if (allowed.has("escalate")) {
    moves.push(
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
  if (allowed.has("cancel_overdue")) {
    moves.push(
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
  return moves;
}

/** The moves that say something first or change only time: report, split, statement, extension. */
function wordMoves(escrow: EscrowView, commands: Commands): React.ReactNode[] {
  const allowed = new Set(escrow.allowed_actions);
  const moves: React.ReactNode[] = [];
  if (allowed.has("dispute")) moves.push(<DisputeForm key="dispute" escrow={escrow} commands={commands} />);
  if (allowed.has("extend_review")) {
    moves.push(
      <button
        key="extend"
        type="button"
        className={buttonSecondary}
        disabled={commands.extendReview.isPending}
        onClick={() => commands.extendReview.mutate({ escrowId: escrow.id })}
      >
        {commands.extendReview.isPending ? "Extending…" : "I need more time (extend once)"}
      </button>,
    );
  }
  // Offered only for the dispute the evaluator's `fail` opened for the customer, before the agent answered.
  if (allowed.has("withdraw_dispute")) {
    moves.push(
      <Confirm
        key="withdraw-dispute"
        label="Withdraw the evaluator's dispute"
        question="The evaluator reported a problem and opened this dispute for you. Withdraw it? The delivery goes back to your review, with the full review window to approve it or report a problem yourself."
        confirmLabel="Yes, withdraw the dispute"
        pending={commands.withdrawDispute.isPending}
        onConfirm={() => commands.withdrawDispute.mutate({ escrowId: escrow.id })}
      />,
    );
  }
  if (allowed.has("propose_settlement")) moves.push(<ProposeSettlementForm key="propose" escrow={escrow} commands={commands} />);
  // Not a command (the state stays): statements are open exactly while a moderator decides.
  if (escrow.status === "admin_review") moves.push(<StatementForm key="statement" escrow={escrow} commands={commands} />);
  return moves;
}

/** The proposal on the table, or, once a moderator has the case, the note that it closed unaccepted. */
function ProposalNote({ escrow, proposal, open }: { escrow: EscrowView; proposal: Settlement | undefined; open: boolean }) {
  if (!proposal) return null;
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  const agent = escrow.agent.display_name;
  if (!open) {
    return (
      <p className="text-sm text-stone-700" data-testid="closed-settlement">
        The proposal of {money(proposal.refund_amount)} back to you is closed: it was not accepted before the moderator took
        the case.
      </p>
    );
  }
  const mine = proposal.proposed_by === "customer";
  return (
    <p className="text-sm text-stone-800" data-testid="open-settlement">
      {mine ? "You proposed" : `${agent} proposes`}: <strong>{money(proposal.refund_amount)}</strong> back to you,{" "}
      <strong>{money(escrow.amount - proposal.refund_amount)}</strong> to {agent}.{mine ? ` Waiting for ${agent} to accept.` : ""}
    </p>
  );
}

export function EscrowActions({ escrow }: { escrow: EscrowView }) {
  const commands = useEscrowCommands(escrow.conversation_id);
  // A proposal is open only while both sides negotiate; once a moderator has the case the last one was
  // closed unaccepted (superseded in the record).
  const closed = escrow.status === "admin_review" ? escrow.settlements.filter((s) => s.status === "superseded").at(-1) : undefined;
  const proposal = escrow.settlements.find((s) => s.status === "open") ?? closed;
  const negotiating = escrow.status === "negotiating";
  const buttons = [...moneyMoves(escrow, commands, negotiating ? proposal : undefined), ...wordMoves(escrow, commands)];
  const errors = Object.values(commands)
    .map((m) => (m.error ? customerErrorMessage(m.error) : null))
    .filter((m): m is string => m !== null);
  return (
    <div className="space-y-2">
      <ProposalNote escrow={escrow} proposal={proposal} open={negotiating} />
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
