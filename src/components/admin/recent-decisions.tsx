"use client";
// The cases decided most recently, newest first: what was decided in words, by whom and when, with the note.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { card, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { outcomeWords } from "./admin-words";

const POLL_MS = 15_000;

export function RecentDecisions() {
  const trpc = useTRPC();
  const recent = useQuery({ ...trpc.admin.recentDecisions.queryOptions(), refetchInterval: POLL_MS });
  return (
    <section aria-labelledby="recent-heading" className={card}>
      <h2 id="recent-heading" className="text-lg font-semibold">
        Recently decided
      </h2>
      {recent.isError ? <ErrorNote>{appError(recent.error).message}</ErrorNote> : null}
      {recent.data?.length === 0 ? <p className="mt-2 text-sm text-stone-600">No decisions yet.</p> : null}
      <ul className="mt-2 divide-y divide-stone-100 text-sm" data-testid="recent-decisions">
        {recent.data?.map((d) => (
          <li key={d.escrow_id} className="py-2">
            <Link href={`/admin/cases/${d.escrow_id}`} className={linkText}>
              {d.title}
            </Link>{" "}
            <span className="text-xs text-stone-600">ref {d.reference_code}</span>
            <p>{outcomeWords(d, d.agent.display_name, d.customer.display_name) ?? "Decided."}</p>
            <p className="text-xs text-stone-600">
              {d.moderator ?? "A moderator"} · <DateTime iso={d.decided_at} />
              {d.note ? <span className="break-words"> · “{d.note}”</span> : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
