"use client";
// The alert inbox: every alert, newest first, with its replies; a reply goes to the agent as an
// owner.instruction (never shown to the customer).
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { useSubmissionKey } from "~/components/ui/submission-key";
import { stateWords } from "~/components/admin/state-words";
import { formatMoney } from "~/components/ui/format";
import { buttonPrimary, card, inputField, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { Skeleton } from "./skeleton";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

const REASON_WORDS: Record<string, string> = {
  dispute: "Dispute",
  off_catalog: "Outside the catalog",
  large_amount: "Large amount",
  extension_failure: "Could not extend",
  other: "From your agent",
};

const SEVERITY_STYLE = {
  info: "bg-sky-100 text-sky-900",
  warning: "bg-amber-100 text-amber-900",
  urgent: "bg-red-100 text-red-900",
} as const;

interface AlertView {
  id: string;
  reason: string;
  title: string;
  message: string;
  severity: "info" | "warning" | "urgent";
  status: string;
  agentHandle: string | null;
  escrowId: string | null;
  order: { referenceCode: string; title: string; status: string; amountMinor: number; currency: string } | null;
  createdAt: Date;
  replies: { id: string; via: string; text: string; createdAt: Date }[];
}

export function ReplyForm({ alertId }: { alertId: string }) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [text, setText] = useState("");
  const submission = useSubmissionKey(`${alertId}\n${text}`);
  const reply = useMutation(
    trpc.owner.reply.mutationOptions({
      onSettled: (_data, error) => submission.settled(error ?? undefined),
      onSuccess: () => {
        setText("");
        void refresh();
      },
    }),
  );
  return (
    <form
      className="mt-2 flex flex-wrap gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim() && !reply.isPending) reply.mutate({ alertId, text, requestKey: submission.key() });
      }}
    >
      <label htmlFor={`reply-${alertId}`} className="sr-only">
        Reply to the agent
      </label>
      <input
        id={`reply-${alertId}`}
        className={`${inputField} flex-1`}
        placeholder="Instruct the agent (the customer does not see this)"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className={buttonPrimary} disabled={reply.isPending || !text.trim()}>
        Send reply
      </button>
      {reply.isSuccess && !reply.isPending ? (
        <p role="status" className="w-full text-sm text-emerald-800">
          Sent to the agent.
        </p>
      ) : null}
      {reply.error ? (
        <div className="w-full">
          <ErrorNote>{appError(reply.error).message}</ErrorNote>
        </div>
      ) : null}
    </form>
  );
}

/** The order an alert is about, as it stands now, with the way to it and to its chat. */
function AlertOrder({ escrowId, order }: { escrowId: string; order: NonNullable<AlertView["order"]> }) {
  return (
    <p
      className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 rounded bg-stone-100 px-2 py-1"
      data-testid="alert-order"
    >
      <span>
        Order {order.referenceCode}, {formatMoney(order.amountMinor, order.currency)}:{" "}
        <strong data-testid="alert-order-state">{stateWords(order.status)}</strong>
      </span>
      <Link href={`/owner/orders/${escrowId}`} className={linkText}>
        Open the order
      </Link>
      <Link href={`/owner/orders/${escrowId}#chat`} className={linkText}>
        Read the chat
      </Link>
    </p>
  );
}

export function AlertCard({ alert }: { alert: AlertView }) {
  return (
    <article className="rounded-md border border-stone-200 p-3 text-sm" data-testid="alert" aria-label={alert.title}>
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 text-xs font-semibold ${SEVERITY_STYLE[alert.severity]}`}>{alert.severity}</span>
        <Link href={`/owner/alerts/${alert.id}`} className="font-semibold hover:underline">
          {alert.title}
        </Link>
        <span className="text-stone-600">
          {REASON_WORDS[alert.reason] ?? "Alert"}
          {alert.agentHandle ? ` · @${alert.agentHandle}` : ""} · <DateTime iso={alert.createdAt.toISOString()} />
        </span>
        <span className="ml-auto text-xs text-stone-600">{{ open: "open", answered: "answered", closed: "closed" }[alert.status] ?? "closed"}</span>
      </div>
      <p className="mt-1 whitespace-pre-wrap break-words text-stone-800">{alert.message}</p>
      {alert.escrowId && alert.order ? <AlertOrder escrowId={alert.escrowId} order={alert.order} /> : null}
      {alert.replies.length ? (
        <ul className="mt-2 space-y-1 border-l-2 border-brand-200 pl-3">
          {alert.replies.map((r) => (
            <li key={r.id}>
              <span className="text-stone-600">You ({r.via}):</span> {r.text}
            </li>
          ))}
        </ul>
      ) : null}
      <ReplyForm alertId={alert.id} />
    </article>
  );
}

export function AlertsInbox() {
  const trpc = useTRPC();
  const alerts = useQuery({ ...trpc.owner.alerts.queryOptions(), refetchInterval: OWNER_POLL_MS });
  return (
    <section aria-label="Alerts, newest first" className={card}>
      <div className="space-y-3">
        {alerts.isPending ? <Skeleton rows={3} /> : null}
        {alerts.data?.map((a) => (
          <AlertCard key={a.id} alert={a} />
        ))}
        {alerts.data?.length === 0 ? (
          <p className="text-sm text-stone-600">No alerts. Your agents are handling things.</p>
        ) : null}
      </div>
    </section>
  );
}

export function AlertDetail({ alertId }: { alertId: string }) {
  const trpc = useTRPC();
  const alert = useQuery({ ...trpc.owner.alert.queryOptions({ alertId }), refetchInterval: OWNER_POLL_MS });
  if (alert.error) return <ErrorNote>{appError(alert.error).message}</ErrorNote>;
  return alert.data ? <AlertCard alert={alert.data} /> : <Skeleton rows={1} />;
}
