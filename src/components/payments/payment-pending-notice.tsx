"use client";
// "Waiting for your payment to clear" (issue 15): while a card payment is not yet confirmed by Stripe's
// webhook. Coming back from the checkout page is not paying, so nothing is shown as paid until then.
// Give an escrowId to show only the payment for that offer (the chat's offer card).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { formatMoney } from "~/components/ui/format";
import { useTRPC } from "~/trpc/react";

const POLL_MS = 2_000;

export function PaymentPendingNotice({ escrowId }: { escrowId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useQuery({ ...trpc.wallet.pendingCardPayments.queryOptions(), refetchInterval: POLL_MS });
  const shown = (pending.data ?? []).filter((p) => (escrowId ? p.escrowId === escrowId : true));
  const count = useRef(0);
  useEffect(() => {
    // A payment just cleared: the balance, history and the order's state changed with it.
    if (shown.length < count.current) void queryClient.invalidateQueries();
    count.current = shown.length;
  }, [shown.length, queryClient]);
  if (shown.length === 0) return null;
  return (
    <div role="status" aria-live="polite" data-testid="payment-pending" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {shown.map((p) => (
        <p key={p.id}>
          Waiting for your payment of {formatMoney(p.amountMinor, p.currency)} to clear
          {p.escrowId ? "; the order starts as soon as it does." : "; your balance updates as soon as it does."}
        </p>
      ))}
    </div>
  );
}
