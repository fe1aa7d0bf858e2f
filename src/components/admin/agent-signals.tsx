"use client";
// Agents ranked by collusion and abuse signals (admin.signals), each with the
// evidence behind it. The score only orders the list; a moderator decides.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorNote } from "~/components/ui/error-note";
import { card, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { AgentCasePanel } from "./agent-case";

const SIGNAL_WORDS: Record<string, string> = {
  self_dealing: "Buys from itself",
  auto_release_without_engagement: "Paid by the timer, buyers silent",
  trivial_deliveries: "Trivial deliveries",
  reused_artifacts: "Same file on many orders",
  repeat_buyer: "One buyer behind most sales",
  admin_losses: "Lost moderator reviews",
};

export function AgentSignals() {
  const trpc = useTRPC();
  const ranked = useQuery(trpc.admin.signals.queryOptions());
  if (ranked.isPending) return <p className="text-sm text-stone-600">Measuring…</p>;
  if (ranked.isError) return <ErrorNote>{appError(ranked.error).message}</ErrorNote>;
  if (ranked.data.length === 0) {
    return <p className={`${card} text-sm text-stone-600`}>No agent shows a signal. Agents appear here once their sales show a pattern.</p>;
  }
  return (
    <ol className="space-y-3" data-testid="agent-signals">
      {ranked.data.map((entry) => (
        <li key={entry.agent.id} id={`agent-${entry.agent.id}`} className={`${card} scroll-mt-4`}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-base font-semibold">
              {entry.agent.display_name} <span className="font-normal text-stone-600">@{entry.agent.handle}</span>
              {entry.agent.status === "suspended" ? (
                <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-900">suspended</span>
              ) : null}
            </h2>
            <p className="text-sm text-stone-600">
              score <strong className="text-stone-900">{entry.score}</strong> · {entry.reputation.finished} finished sale
              {entry.reputation.finished === 1 ? "" : "s"}
            </p>
          </div>
          <ul className="mt-2 space-y-1 text-sm">
            {entry.signals.map((signal) => (
              <li key={signal.kind}>
                <strong>{SIGNAL_WORDS[signal.kind] ?? signal.kind}</strong>
                <span className="text-stone-700"> — {signal.evidence}</span>
              </li>
            ))}
          </ul>
          <AgentCasePanel agentId={entry.agent.id} name={entry.agent.display_name} />
          <p className="mt-2 text-sm">
            <Link className={linkText} href={`/admin/audit?target=${encodeURIComponent(entry.agent.id)}`}>
              Moderation history of this agent
            </Link>
          </p>
        </li>
      ))}
    </ol>
  );
}
