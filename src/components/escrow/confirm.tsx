"use client";
// The two shapes of a move that must not happen by accident: a button that
// asks a question before acting (money moves), and a button that opens a
// one-field form (a reason, an amount) with its help and error.
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonDanger, buttonPrimary, buttonSecondary } from "~/components/ui/styles";

export function Confirm({
  label,
  confirmLabel,
  question,
  onConfirm,
  pending,
  danger = false,
}: {
  label: string;
  confirmLabel: string;
  question: React.ReactNode;
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
      <div className="w-full text-sm text-stone-800">{question}</div>
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
export function FieldForm({
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

