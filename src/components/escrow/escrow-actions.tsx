"use client";
// The customer's possible moves on an escrow right now — exactly its
// allowed_actions, computed by the server from the transition table.
// Money-moving moves ask for a second click; a dispute needs a reason.
import { useState } from "react";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonDanger, buttonPrimary, buttonSecondary, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import type { EscrowView } from "~/trpc/types";
import { useEscrowCommands } from "./use-escrow-command";

type Commands = ReturnType<typeof useEscrowCommands>;

function Confirm({
  label,
  confirmLabel,
  question,
  onConfirm,
  pending,
  danger = false,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => void;
  pending: boolean;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={danger ? buttonDanger : buttonPrimary} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div role="group" aria-label={label} className="flex w-full flex-wrap items-center gap-2 rounded-md bg-stone-50 p-2">
      <p className="text-sm text-stone-800">{question}</p>
      <button type="button" className={danger ? buttonDanger : buttonPrimary} disabled={pending} onClick={onConfirm} autoFocus>
        {pending ? "Working…" : confirmLabel}
      </button>
      <button type="button" className={buttonSecondary} disabled={pending} onClick={() => setAsking(false)}>
        Not now
      </button>
    </div>
  );
}

/**
 * A move that needs input first: a button that opens a small form with one field, its help text,
 * an error once the customer has tried to submit something invalid, and submit/cancel.
 */
function FieldForm({
  openLabel,
  openClassName,
  formClassName,
  fieldId,
  label,
  help,
  invalidNote,
  valid,
  submitLabel,
  pendingLabel,
  submitClassName,
  pending,
  onSubmit,
  field,
}: {
  openLabel: string;
  openClassName: string;
  formClassName: string;
  fieldId: string;
  label: React.ReactNode;
  help: React.ReactNode;
  invalidNote: string;
  valid: boolean;
  submitLabel: string;
  pendingLabel: string;
  submitClassName: string;
  pending: boolean;
  onSubmit: () => void;
  /** The input itself, given the accessibility attributes that tie it to the label, help and error. */
  field: (aria: { id: string; "aria-invalid": boolean; "aria-describedby": string }) => React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [touched, setTouched] = useState(false);
  if (!open) {
    return (
      <button type="button" className={openClassName} onClick={() => setOpen(true)}>
        {openLabel}
      </button>
    );
  }
  const helpId = `${fieldId}-help`;
  return (
    <form
      className={`w-full space-y-2 rounded-md p-3 ${formClassName}`}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (valid) onSubmit();
      }}
    >
      <label htmlFor={fieldId} className="block text-sm font-medium text-stone-900">
        {label}
      </label>
      {field({ id: fieldId, "aria-invalid": touched && !valid, "aria-describedby": helpId })}
      <p id={helpId} className="text-xs text-stone-600">
        {help}
      </p>
      {touched && !valid ? <ErrorNote>{invalidNote}</ErrorNote> : null}
      <div className="flex gap-2">
        <button type="submit" className={submitClassName} disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        <button type="button" className={buttonSecondary} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DisputeForm({ escrow, commands }: { escrow: EscrowView; commands: Commands }) {
  const [reason, setReason] = useState("");
  return (
    <FieldForm
      openLabel="Report a problem"
      openClassName={buttonDanger}
      formClassName="bg-red-50/50"
      fieldId={`reason-${escrow.id}`}
      label={
        <>
          What is wrong with the delivery? <span className="text-red-700">(required)</span>
        </>
      }
      help={`The money stays held. ${escrow.agent.display_name} must defend the delivery or refund you; if they stay silent, a moderator decides.`}
      invalidNote="Please describe the problem: a report needs a reason."
      valid={reason.trim() !== ""}
      submitLabel="Report problem"
      pendingLabel="Reporting…"
      submitClassName={buttonDanger}
      pending={commands.dispute.isPending}
      onSubmit={() => commands.dispute.mutate({ escrowId: escrow.id, reason: reason.trim() })}
      field={(aria) => (
        <textarea {...aria} rows={3} maxLength={FIELD_LIMITS.disputeReasonChars} value={reason} onChange={(e) => setReason(e.target.value)} className={inputField} />
      )}
    />
  );
}

function ProposeSettlementForm({ escrow, commands }: { escrow: EscrowView; commands: Commands }) {
  const [text, setText] = useState("");
  const refund = parseMoneyInput(text, escrow.currency);
  const valid = refund !== null && refund > 0 && refund < escrow.amount;
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  return (
    <FieldForm
      openLabel="Propose a split"
      openClassName={buttonSecondary}
      formClassName="bg-stone-50"
      fieldId={`refund-${escrow.id}`}
      label={`How much should come back to you? (${escrow.currency})`}
      help={
        `More than ${money(0)} and less than ${money(escrow.amount)}. ` +
        (valid ? `You get ${money(refund)} back; ${escrow.agent.display_name} is paid ${money(escrow.amount - refund)}.` : "")
      }
      invalidNote={`Enter an amount between ${money(1)} and ${money(escrow.amount - 1)}.`}
      valid={valid}
      submitLabel="Send proposal"
      pendingLabel="Sending…"
      submitClassName={buttonPrimary}
      pending={commands.proposeSettlement.isPending}
      onSubmit={() => valid && commands.proposeSettlement.mutate({ escrowId: escrow.id, refundAmount: refund })}
      field={(aria) => (
        <input {...aria} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} className={`${inputField} max-w-40`} />
      )}
    />
  );
}

export function EscrowActions({ escrow }: { escrow: EscrowView }) {
  const commands = useEscrowCommands(escrow.conversation_id);
  const allowed = new Set(escrow.allowed_actions);
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  const ref = { escrowId: escrow.id };
  const agent = escrow.agent.display_name;
  const openSettlement = escrow.settlements.find((s) => s.status === "open");
  const errors = Object.values(commands)
    .map((m) => (m.error ? appError(m.error).message : null))
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
