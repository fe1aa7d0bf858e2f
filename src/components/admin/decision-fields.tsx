// The decision form's fields: the outcome, a split's refund with its preview, and the note.
import { formatMoney } from "~/components/ui/format";
import { inputField } from "~/components/ui/styles";
import type { DecisionOutcome } from "./admin-words";
import type { AdminCase } from "./case-types";

export function OutcomeChoices({
  data,
  outcome,
  onChange,
}: {
  data: AdminCase;
  outcome: DecisionOutcome | null;
  onChange: (o: DecisionOutcome) => void;
}) {
  const money = (minor: number) => formatMoney(minor, data.escrow.currency);
  const choices: { value: DecisionOutcome; label: string }[] = [
    { value: "release", label: `Release: ${money(data.escrow.amount)} to ${data.agent.display_name}` },
    { value: "refund", label: `Refund: ${money(data.escrow.amount)} back to ${data.customer.display_name}` },
    { value: "split", label: "Split: part back to the customer, the rest to the agent" },
  ];
  return (
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
              onChange={() => onChange(choice.value)}
            />
            {choice.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function SplitAmount({
  data,
  refundText,
  refundPreview,
  invalid,
  onChange,
}: {
  data: AdminCase;
  refundText: string;
  refundPreview: number | null;
  invalid: boolean;
  onChange: (text: string) => void;
}) {
  const { amount, currency } = data.escrow;
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <div>
      <label htmlFor="refund-amount" className="block text-sm font-medium">
        Refund to the customer ({currency})
      </label>
      <input
        id="refund-amount"
        inputMode="decimal"
        value={refundText}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid}
        aria-describedby="refund-preview"
        className={`${inputField} mt-1 w-40`}
      />
      <p id="refund-preview" className="mt-1 text-xs text-stone-600" data-testid="split-preview">
        {refundPreview !== null && refundPreview > 0 && refundPreview < amount
          ? `${money(refundPreview)} back to ${data.customer.display_name}, ${money(amount - refundPreview)} to ${data.agent.display_name} (of ${money(amount)}).`
          : `Between ${money(0)} and ${money(amount)}, both excluded.`}
      </p>
    </div>
  );
}

export function NoteField({
  note,
  invalid,
  onChange,
}: {
  note: string;
  invalid: boolean;
  onChange: (text: string) => void;
}) {
  return (
    <div>
      <label htmlFor="decision-note" className="block text-sm font-medium">
        Note to both parties (required)
      </label>
      <textarea
        id="decision-note"
        rows={3}
        value={note}
        onChange={(e) => onChange(e.target.value)}
        maxLength={5_000}
        aria-invalid={invalid}
        className={`${inputField} mt-1`}
      />
    </div>
  );
}
