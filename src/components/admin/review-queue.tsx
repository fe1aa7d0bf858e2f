"use client";
// The admin_review queue, oldest first, refreshed every few seconds. Cases
// past the SLA are marked in words and colour.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorNote } from "~/components/ui/error-note";
import { formatDuration, formatMoney } from "~/components/ui/format";
import { card, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { routeWords } from "./admin-words";

const POLL_MS = 5_000;

export function ReviewQueue() {
  const trpc = useTRPC();
  const queue = useQuery({ ...trpc.admin.queue.queryOptions(), refetchInterval: POLL_MS });
  if (queue.isPending) return <p className="text-sm text-stone-500">Loading the queue…</p>;
  if (queue.isError) return <ErrorNote>{appError(queue.error).message}</ErrorNote>;
  const cases = queue.data;
  const overSla = cases.filter((c) => c.over_sla).length;
  return (
    <section aria-labelledby="queue-heading" className={card}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="queue-heading" className="text-lg font-semibold">
          Waiting for a decision
        </h2>
        <p className="text-sm text-stone-600" data-testid="queue-summary">
          {cases.length} case{cases.length === 1 ? "" : "s"}
          {overSla ? <strong className="ml-1 text-red-800">· {overSla} past the 24 h SLA</strong> : null}
        </p>
      </div>
      {cases.length === 0 ? (
        <p className="mt-3 text-sm text-stone-600">Nothing to decide. Cases appear here when a dispute times out or is escalated.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="review-queue">
            <thead className="text-xs uppercase text-stone-500">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">Case</th>
                <th scope="col" className="py-2 pr-3 font-medium">Waiting</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Amount</th>
                <th scope="col" className="py-2 pr-3 font-medium">Agent</th>
                <th scope="col" className="py-2 pr-3 font-medium">Customer</th>
                <th scope="col" className="py-2 font-medium">How it got here</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {cases.map((c) => (
                <tr key={c.escrow_id} className={c.over_sla ? "bg-red-50" : undefined} data-over-sla={c.over_sla || undefined}>
                  <td className="py-2 pr-3 align-top">
                    <Link href={`/admin/cases/${c.escrow_id}`} className={linkText}>
                      {c.title}
                    </Link>
                    <span className="block text-xs text-stone-500">ref {c.reference_code}</span>
                  </td>
                  <td className="py-2 pr-3 align-top tabular-nums">
                    {formatDuration(c.age_seconds * 1000)}
                    {c.over_sla ? (
                      <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">past SLA</span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3 text-right align-top font-semibold tabular-nums">{formatMoney(c.amount, c.currency)}</td>
                  <td className="py-2 pr-3 align-top">
                    {c.agent.display_name} <span className="text-xs text-stone-500">@{c.agent.handle}</span>
                  </td>
                  <td className="py-2 pr-3 align-top">{c.customer.display_name}</td>
                  <td className="py-2 align-top">{routeWords(c.route, c.escalated_by)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
