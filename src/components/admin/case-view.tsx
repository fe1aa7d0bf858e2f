"use client";
// A case file for a moderator: who is involved, what was disputed and
// answered, the decision (or the form to make it), then the transcript and
// the record. Refreshed every few seconds, so a decision made elsewhere shows.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { card, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { outcomeWords } from "./admin-words";
import { stateWords } from "./state-words";
import { History, Settlements, Timeline, Transfers } from "./case-records";
import { CaseTranscript } from "./case-transcript";
import type { AdminCase } from "./case-types";
import { DecisionForm } from "./decision-form";
import { SuspensionControl } from "./suspension-control";

const POLL_MS = 5_000;

function StatusBadge({ status }: { status: string }) {
  const style = status === "suspended" ? "bg-red-100 text-red-800" : "bg-emerald-100 text-emerald-800";
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${style}`}>{status}</span>;
}

function Parties({ data }: { data: AdminCase }) {
  return (
    <section aria-labelledby="parties-heading" className={`${card} grid gap-4 sm:grid-cols-2`}>
      <h2 id="parties-heading" className="sr-only">
        Parties
      </h2>
      <div data-testid="case-agent">
        <p className="text-xs uppercase tracking-wide text-stone-600">Agent (seller)</p>
        <p className="font-semibold">
          {data.agent.display_name} <span className="text-sm font-normal text-stone-600">@{data.agent.handle}</span>{" "}
          <StatusBadge status={data.agent.status} />
        </p>
        <p className="text-sm text-stone-600">Owner: {data.agent.owner.display_name}</p>
        <div className="mt-2">
          <SuspensionControl
            kind="agent"
            id={data.agent.id}
            name={data.agent.display_name}
            status={data.agent.status}
          />
          <p className="mt-1 text-xs text-stone-600">
            A suspended agent&apos;s keys stop at once; its open orders keep running.
          </p>
        </div>
        <Link href={`/admin/audit?target=${data.agent.id}`} className={`${linkText} text-xs`}>
          Log entries for this agent
        </Link>
      </div>
      <div data-testid="case-customer">
        <p className="text-xs uppercase tracking-wide text-stone-600">Customer</p>
        <p className="font-semibold">
          {data.customer.display_name} <StatusBadge status={data.customer.status} />
        </p>
        <p className="text-sm text-stone-600">{data.customer.email}</p>
        {data.buyer_agent ? (
          <p className="mt-1 text-sm text-amber-900" data-testid="case-buyer-agent">
            Agent-to-agent purchase: bought by their agent {data.buyer_agent.display_name} (@{data.buyer_agent.handle})
            with their wallet; they were alerted when the seller contested.
          </p>
        ) : null}
        <div className="mt-2">
          <SuspensionControl
            kind="user"
            id={data.customer.id}
            name={data.customer.display_name}
            status={data.customer.status}
          />
          <p className="mt-1 text-xs text-stone-600">A suspended person is signed out everywhere and cannot sign in.</p>
        </div>
        <Link href={`/admin/audit?target=${data.customer.id}`} className={`${linkText} text-xs`}>
          Log entries for this customer
        </Link>
      </div>
    </section>
  );
}

function Dispute({ data }: { data: AdminCase }) {
  return (
    <section aria-labelledby="dispute-heading" className={`${card} space-y-3`}>
      <h2 id="dispute-heading" className="text-lg font-semibold">
        The dispute
      </h2>
      <div>
        <h3 className="text-sm font-semibold">{data.customer.display_name}&apos;s reason</h3>
        <p className="whitespace-pre-wrap break-words text-sm" data-testid="dispute-reason">
          {data.dispute_reason ?? "—"}
        </p>
      </div>
      <div>
        <h3 className="text-sm font-semibold">{data.agent.display_name}&apos;s defence</h3>
        <p className="whitespace-pre-wrap break-words text-sm" data-testid="defence">
          {data.defence ?? "The agent did not answer."}
        </p>
      </div>
    </section>
  );
}

/** The finished case. When it was decided on this page, focus moves here (the form it replaces is gone). */
function Outcome({ data, focus }: { data: AdminCase; focus: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const words = outcomeWords(data.escrow, data.agent.display_name, data.customer.display_name);
  const decision = [...data.timeline].reverse().find((step) => step.command === "decide");
  return (
    <section
      aria-labelledby="outcome-heading"
      className={`${card} border-emerald-300 bg-emerald-50`}
      data-testid="case-outcome"
    >
      <h2 id="outcome-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        {data.escrow.status === "resolved" && decision ? "Decided" : `Closed: ${stateWords(data.escrow.status)}`}
      </h2>
      {words ? <p className="text-sm font-medium">{words}</p> : null}
      {decision?.reason ? (
        <p className="mt-1 whitespace-pre-wrap break-words text-sm">Moderator&apos;s note: “{decision.reason}”</p>
      ) : null}
    </section>
  );
}

export function CaseView({ escrowId }: { escrowId: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.admin.case.queryOptions({ escrowId }), refetchInterval: POLL_MS });
  // Whether this page showed the case open: its outcome then replaces the form under the moderator's focus.
  const [sawOpen, setSawOpen] = useState(false);
  const open = query.data?.escrow.status === "admin_review";
  if (open && !sawOpen) setSawOpen(true);
  if (query.isPending) return <p className="text-sm text-stone-600">Loading the case…</p>;
  if (query.isError) return <ErrorNote>{appError(query.error).message}</ErrorNote>;
  const data = query.data;
  const { escrow } = data;
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-bold tracking-tight text-brand-900">{escrow.title}</h1>
        <p className="text-sm text-stone-600">
          ref {escrow.reference_code} · {formatMoney(escrow.amount, escrow.currency)} ·{" "}
          <span data-testid="case-status">{stateWords(escrow.status)}</span>
        </p>
      </header>
      <Parties data={data} />
      <Dispute data={data} />
      <Settlements data={data} />
      {escrow.status === "admin_review" ? <DecisionForm data={data} /> : <Outcome data={data} focus={sawOpen} />}
      <CaseTranscript
        messages={data.transcript}
        names={{
          agent: data.agent.display_name,
          customer: data.customer.display_name,
          owner: data.agent.owner.display_name,
        }}
      />
      <Timeline data={data} />
      <Transfers data={data} />
      <History data={data} />
    </div>
  );
}
