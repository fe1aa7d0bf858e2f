"use client";
// The admin_review queue, oldest first, refreshed every few seconds: the SLA it is held to, each case's
// time left against it (cases past it marked in words and colour), the open card chargebacks, and the
// cases decided most recently.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { durationWords } from "~/domain/escrow/messages";
import { ErrorNote } from "~/components/ui/error-note";
import { formatDuration, formatMoney } from "~/components/ui/format";
import { card, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { routeWords, timeLeftWords } from "./admin-words";
import { Chargebacks } from "./chargebacks";
import { RecentDecisions } from "./recent-decisions";

const POLL_MS = 5_000;
const COLUMNS = ["Case", "Time left", "Amount", "Agent", "Customer", "How it got here"] as const;
type QueueItem = RouterOutputs["admin"]["queue"][number];

function QueueRow({ c }: { c: QueueItem }) {
  return (
    <tr
      className={`${stackedRow} ${c.over_sla ? "bg-red-50" : ""}`}
      data-over-sla={c.over_sla || undefined}
      data-testid="queue-case"
    >
      <td data-label="Case" className={stackedCell}>
        <span>
          <Link href={`/admin/cases/${c.escrow_id}`} className={linkText}>
            {c.title}
          </Link>
          <span className="block text-xs text-stone-600">ref {c.reference_code}</span>
        </span>
      </td>
      <td data-label="Time left" className={`${stackedCell} tabular-nums`} data-testid="time-left">
        <span>
          {c.over_sla ? (
            <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">past SLA</span>
          ) : null}{" "}
          {timeLeftWords(c.time_left_seconds)}
          <span className="block text-xs text-stone-600">waiting {formatDuration(c.age_seconds * 1000)}</span>
        </span>
      </td>
      <td data-label="Amount" className={`${stackedCell} font-semibold tabular-nums`}>
        {formatMoney(c.amount, c.currency)}
      </td>
      <td data-label="Agent" className={stackedCell}>
        <span>
          {c.agent.display_name} <span className="text-xs text-stone-600">@{c.agent.handle}</span>
        </span>
      </td>
      <td data-label="Customer" className={stackedCell}>
        {c.customer.display_name}
      </td>
      <td data-label="How it got here" className={stackedCell}>
        {routeWords(c.route, c.escalated_by)}
      </td>
    </tr>
  );
}

export function ReviewQueue() {
  const trpc = useTRPC();
  const queue = useQuery({ ...trpc.admin.queue.queryOptions(), refetchInterval: POLL_MS });
  if (queue.isPending) return <p className="text-sm text-stone-600">Loading the queue…</p>;
  if (queue.isError) return <ErrorNote>{appError(queue.error).message}</ErrorNote>;
  const cases = queue.data;
  const overSla = cases.filter((c) => c.over_sla).length;
  const slaSeconds = cases[0]?.sla_seconds ?? 24 * 3600;
  return (
    <div className="space-y-4">
      <section aria-labelledby="queue-heading" className={card}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="queue-heading" className="text-lg font-semibold">
            Waiting for a decision
          </h2>
          <p className="text-sm text-stone-600" data-testid="queue-summary">
            {cases.length} case{cases.length === 1 ? "" : "s"} · decide each within {durationWords(slaSeconds)} (the
            SLA)
            {overSla ? <strong className="ml-1 text-red-800">· {overSla} past the SLA</strong> : null}
          </p>
        </div>
        {cases.length === 0 ? (
          <p className="mt-3 text-sm text-stone-600">
            Nothing to decide. Cases appear here when a dispute times out or is escalated.
          </p>
        ) : (
          <table className={`${stackedTable} mt-3`} data-testid="review-queue">
            <thead className={stackedHead}>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" className={stackedTh}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className={stackedBody}>
              {cases.map((c) => (
                <QueueRow key={c.escrow_id} c={c} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Chargebacks />
      <RecentDecisions />
    </div>
  );
}
