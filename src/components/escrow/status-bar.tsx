"use client";
// An escrow's status in plain words, the live countdown to its next deadline
// and what happens then, and the customer's possible moves now.
import { Countdown } from "~/components/ui/countdown";
import { DateTime } from "~/components/ui/date-time";
import { formatMoney } from "~/components/ui/format";
import { useNow } from "~/components/ui/use-now";
import type { EscrowView } from "~/trpc/types";
import { EscrowActions } from "./escrow-actions";
import { EscrowRecords } from "./escrow-records";
import type { OrderPolicy } from "./order-policy";
import { durationWords } from "~/domain/escrow/messages";
import { nextDeadline, statusWords, TERMINAL_STATUSES } from "./status-words";

const TONE: Record<string, string> = {
  action: "border-amber-300 bg-amber-50",
  waiting: "border-sky-200 bg-sky-50",
  progress: "border-brand-600/30 bg-brand-50",
  done: "border-emerald-200 bg-emerald-50",
  stopped: "border-stone-200 bg-stone-100",
};

export function EscrowStatusBar({ escrow, policy }: { escrow: EscrowView; policy: OrderPolicy }) {
  const now = useNow(5_000);
  const words = statusWords(escrow);
  const deadline = TERMINAL_STATUSES.has(escrow.status) ? null : nextDeadline(escrow, new Date(now));
  return (
    <section
      aria-label={`Order ${escrow.reference_code}: ${escrow.title}`}
      data-testid="escrow-status"
      data-escrow-status={escrow.status}
      data-order-focus={escrow.id}
      tabIndex={-1}
      className={`rounded-lg border p-2 shadow-sm sm:p-3 focus:outline-2 focus:outline-brand-600 ${TONE[words.tone] ?? ""}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 className="text-sm font-semibold text-stone-900">
          {escrow.title} · {formatMoney(escrow.amount, escrow.currency)}{" "}
          <span className="font-normal text-stone-600">ref {escrow.reference_code}</span>
        </h2>
        <p className="text-sm font-bold text-stone-900" data-testid="escrow-status-label">
          {words.label}
        </p>
      </div>
      {/* On a phone the label, deadline and buttons say enough; the room goes to the delivery. */}
      <p className="mt-1 hidden text-sm text-stone-700 sm:block">{words.detail}</p>
      {escrow.dispute_reason && (escrow.status === "disputed" || escrow.status === "negotiating" || escrow.status === "admin_review") ? (
        <p className="mt-1 text-sm text-stone-700">
          <span className="font-medium">Your report:</span> <span className="whitespace-pre-wrap">{escrow.dispute_reason}</span>
        </p>
      ) : null}
      {escrow.agent_defence && (escrow.status === "negotiating" || escrow.status === "admin_review") ? (
        <blockquote className="mt-2 border-l-4 border-stone-300 pl-3 text-sm text-stone-800" data-testid="agent-defence">
          <p className="text-xs font-semibold text-stone-600">{escrow.agent.display_name}&apos;s answer</p>
          <p className="whitespace-pre-wrap">{escrow.agent_defence}</p>
        </blockquote>
      ) : null}
      {escrow.status === "admin_review" ? <ModeratorHorizon escrow={escrow} slaS={policy.adminReviewSlaS} /> : null}
      {deadline ? (
        <p className="mt-1 text-sm text-stone-800 sm:mt-2" data-testid="escrow-deadline">
          <span className="font-medium">{deadline.label}</span> <Countdown at={deadline.at} /> (
          <DateTime iso={deadline.at} />
          ). {deadline.consequence}
        </p>
      ) : null}
      {!TERMINAL_STATUSES.has(escrow.status) ? (
        <div className="mt-2 sm:mt-3">
          <EscrowActions escrow={escrow} />
        </div>
      ) : null}
      {/* The signed records, kept out of the pinned bar on a phone while the order still needs its actions
          (the bar would push the message box below the window); a finished order shows them everywhere. */}
      <div className={TERMINAL_STATUSES.has(escrow.status) ? "" : "hidden sm:block"}>
        <EscrowRecords escrowId={escrow.id} referenceCode={escrow.reference_code} />
      </div>
    </section>
  );
}

/** While a moderator decides: when to expect the decision (the SLA from when the case reached them). */
function ModeratorHorizon({ escrow, slaS }: { escrow: EscrowView; slaS: number }) {
  const expected = new Date(new Date(escrow.updated_at).getTime() + slaS * 1000).toISOString();
  return (
    <p className="mt-2 text-sm text-stone-800" data-testid="moderator-sla">
      <span className="font-medium">Moderators decide within {durationWords(slaS)}:</span> expect a decision{" "}
      <Countdown at={expected} /> (<DateTime iso={expected} />). Until then you can add statements for the moderator;
      the whole conversation is part of the case.
    </p>
  );
}
