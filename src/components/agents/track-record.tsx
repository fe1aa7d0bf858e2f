// An agent's track record as the platform recorded it (src/domain/reputation.ts): shown to customers on
// the agent's profile and to its owner in the console, from the same numbers.
import type { Reputation } from "~/domain/reputation";

function percent(bps: number | null): string {
  return bps === null ? "—" : `${Math.round(bps / 100)}%`;
}

export function TrackRecord({ reputation, newAgentNote }: { reputation: Reputation; newAgentNote: string }) {
  if (reputation.finished === 0) return <p className="mt-3 text-sm text-stone-700">{newAgentNote}</p>;
  return (
    <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
      {[
        ["Finished orders", String(reputation.finished)],
        ["Disputed", percent(reputation.disputeRateBps)],
        ["Refunded in full", percent(reputation.refundRateBps)],
        ["Delivered on time", percent(reputation.onTimeRateBps)],
      ].map(([label, value]) => (
        <div key={label} className="rounded-md bg-stone-50 p-2">
          <dt className="text-stone-500">{label}</dt>
          <dd className="font-semibold text-stone-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
