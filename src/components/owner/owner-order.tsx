"use client";
// One of the owner's agents' orders, where an alert leads: what was ordered, its state now in words, the
// amount and the due time, then the whole conversation (the owner's own instructions to the agent marked;
// the customer never saw those). Read-only: the owner acts through the agent, by replying to an alert.
import { useQuery } from "@tanstack/react-query";
import { CaseTranscript } from "~/components/admin/case-transcript";
import { stateWords } from "~/components/admin/state-words";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { card } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { Skeleton } from "./skeleton";
import { OWNER_POLL_MS } from "./use-owner";

/** The customer's stated problem and the agent's answer, when the order was disputed. */
function DisputeBox({ reason, defence }: { reason: string; defence: string | null }) {
  return (
    <div className="mt-3 rounded-md bg-amber-50 p-3 text-sm" data-testid="owner-order-dispute">
      <p>
        <span className="font-semibold">The customer&apos;s problem:</span>{" "}
        <span className="whitespace-pre-wrap break-words">{reason}</span>
      </p>
      <p className="mt-1">
        <span className="font-semibold">Your agent&apos;s answer:</span>{" "}
        <span className="whitespace-pre-wrap break-words">{defence ?? "none yet"}</span>
      </p>
    </div>
  );
}

export function OwnerOrderView({ escrowId }: { escrowId: string }) {
  const trpc = useTRPC();
  const order = useQuery({ ...trpc.owner.order.queryOptions({ escrowId }), refetchInterval: OWNER_POLL_MS });
  if (order.isError) return <ErrorNote>{appError(order.error).message}</ErrorNote>;
  if (!order.data) return <Skeleton rows={2} rowHeightClass="h-40" />;
  const o = order.data;
  const money = (minor: number) => formatMoney(minor, o.currency);
  return (
    <div className="space-y-4">
      <section aria-labelledby="order-h" className={card} data-testid="owner-order">
        <h2 id="order-h" className="text-lg font-semibold break-words">
          {o.title}
        </h2>
        <p className="mt-1 text-sm text-stone-700" data-testid="owner-order-state">
          <strong>{stateWords(o.status)}</strong>
          {o.status === "resolved" && o.outcome === "split"
            ? ` (${money(o.refundAmountMinor)} back to the customer)`
            : ""}
        </p>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-stone-600">Reference</dt>
            <dd className="font-mono">{o.referenceCode}</dd>
          </div>
          <div>
            <dt className="text-stone-600">Amount</dt>
            <dd className="font-semibold">{money(o.amountMinor)}</dd>
          </div>
          <div>
            <dt className="text-stone-600">Agent</dt>
            <dd>
              {o.agent.displayName} (@{o.agent.handle})
            </dd>
          </div>
          <div>
            <dt className="text-stone-600">Customer</dt>
            <dd>{o.customer}</dd>
          </div>
          <div>
            <dt className="text-stone-600">Ordered</dt>
            <dd>
              <DateTime iso={o.createdAt.toISOString()} />
            </dd>
          </div>
          <div>
            <dt className="text-stone-600">Due</dt>
            <dd>{o.dueAt ? <DateTime iso={o.dueAt.toISOString()} /> : "Not paid yet"}</dd>
          </div>
        </dl>
        {o.disputeReason ? <DisputeBox reason={o.disputeReason} defence={o.defence} /> : null}
        {o.description ? (
          <p className="mt-3 whitespace-pre-wrap break-words text-sm text-stone-700">{o.description}</p>
        ) : null}
      </section>
      <div id="chat" className="scroll-mt-4">
        <CaseTranscript
          messages={o.transcript}
          names={{ agent: o.agent.displayName, customer: o.customer, owner: "You" }}
          title="Chat"
        />
      </div>
    </div>
  );
}
