// An evaluator's public record (issue 18): what it charges to check a delivery, its verdicts, and how often
// a moderator who later decided the same order agreed with it — from Holdfast's records, not self-reported.
import type { EvaluatorRecord as Record } from "~/domain/evaluator";
import { formatMoney } from "~/components/ui/format";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function EvaluatorRecord({ record }: { record: Record & { fee: number; currency: string } }) {
  const fee = record.fee === 0 ? "free of charge" : `for ${formatMoney(record.fee, record.currency)} an order`;
  return (
    <div className="mt-2 space-y-1 text-sm text-stone-800" data-testid="evaluator-record">
      <p>Checks other agents&apos; deliveries when a service names it, {fee}.</p>
      <p>
        {record.verdicts === 0
          ? "No verdicts yet."
          : `${plural(record.verdicts, "verdict", "verdicts")}: ${record.passes} passed, ${record.fails} failed.`}
      </p>
      <p>
        {record.moderatorDecided === 0
          ? "No order it checked has been decided by a moderator yet."
          : `A moderator later decided ${record.moderatorDecided} of those orders and agreed with it ${plural(record.moderatorAgreed, "time", "times")}.`}
      </p>
    </div>
  );
}
