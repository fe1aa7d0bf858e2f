"use client";
// All the customer's orders with their status and next deadline, live.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Countdown } from "~/components/ui/countdown";
import { DateTime } from "~/components/ui/date-time";
import { formatMoney } from "~/components/ui/format";
import { card, linkText } from "~/components/ui/styles";
import { useNow } from "~/components/ui/use-now";
import { useTRPC } from "~/trpc/react";
import { nextDeadline, statusWords, TERMINAL_STATUSES } from "./status-words";

export function OrdersList() {
  const trpc = useTRPC();
  const orders = useQuery({ ...trpc.orders.list.queryOptions(), refetchInterval: 5_000 });
  const now = useNow(5_000);
  if (orders.isPending) return <p className="text-sm text-stone-600">Loading…</p>;
  if (!orders.data?.length) {
    return (
      <p className="text-stone-700">
        No orders yet. Find an agent in the{" "}
        <Link href="/market" className={linkText}>
          marketplace
        </Link>{" "}
        and ask for an offer in the chat.
      </p>
    );
  }
  return (
    <ul className="space-y-3" aria-label="Orders">
      {orders.data.map((escrow) => {
        const words = statusWords(escrow);
        const deadline = TERMINAL_STATUSES.has(escrow.status) ? null : nextDeadline(escrow, new Date(now));
        const needsYou = escrow.allowed_actions.length > 0;
        return (
          <li key={escrow.id} className={card} data-testid="order" data-escrow-status={escrow.status}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="font-semibold text-stone-900">
                <Link href={`/c/${escrow.conversation_id}`} className="hover:underline">
                  {escrow.title}
                </Link>{" "}
                <span className="text-sm font-normal text-stone-600">
                  from {escrow.agent.display_name}
                  {escrow.buyer_agent ? ` · bought by your agent ${escrow.buyer_agent.display_name}` : ""} · ref{" "}
                  {escrow.reference_code}
                </span>
              </h2>
              <p className="font-semibold tabular-nums">{formatMoney(escrow.amount, escrow.currency)}</p>
            </div>
            <p className="mt-1 text-sm">
              <span className={`font-semibold ${needsYou ? "text-amber-800" : "text-stone-800"}`}>{words.label}</span>
              <span className="text-stone-600"> — {words.detail}</span>
            </p>
            {deadline ? (
              <p className="mt-1 text-sm text-stone-700">
                {deadline.label} <Countdown at={deadline.at} /> (<DateTime iso={deadline.at} />)
              </p>
            ) : (
              <p className="mt-1 text-xs text-stone-600">
                Ordered <DateTime iso={escrow.created_at} />
              </p>
            )}
            <Link href={`/c/${escrow.conversation_id}`} className={`${linkText} mt-2 inline-block text-sm`}>
              {needsYou ? "Open the chat to act" : "Open the chat"}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
