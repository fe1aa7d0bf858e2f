"use client";
// Owner payouts through Stripe Connect (issue 15): connect a payout account (Stripe's onboarding pages),
// its status, "Withdraw" any part of the available balance (held payouts stay held) and the withdrawals
// made, with what became of each. Hidden when the deployment has no Stripe keys.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { useSubmissionKey } from "~/components/ui/submission-key";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const STATUS_WORDS = { not_connected: "Not connected", pending: "Pending verification by Stripe", ready: "Ready" } as const;
const PAYOUT_WORDS: Record<string, string> = {
  submitting: "Sending…",
  paid: "Sent to your payout account",
  failed: "Did not go through; back in your wallet",
  reversed: "Returned by Stripe; back in your wallet",
};

export function PayoutsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const payouts = useQuery({ ...trpc.wallet.payouts.queryOptions(), refetchInterval: 5_000 });
  const balance = useQuery(trpc.wallet.balance.queryOptions());
  const refreshAll = () => queryClient.invalidateQueries(trpc.wallet.pathFilter());
  const connect = useMutation(trpc.wallet.connectPayoutAccount.mutationOptions({ onSuccess: (r) => window.location.assign(r.url) }));
  const refresh = useMutation(trpc.wallet.refreshPayoutAccount.mutationOptions({ onSuccess: () => void refreshAll() }));
  const [text, setText] = useState("");
  const submission = useSubmissionKey(text);
  const withdraw = useMutation(
    trpc.wallet.withdraw.mutationOptions({
      onSettled: (_data, error) => {
        submission.settled(error ?? undefined);
        void refreshAll();
      },
    }),
  );
  useEffect(() => {
    // Back from Stripe's onboarding (?payouts=return): read the account now rather than wait for the webhook.
    if (new URLSearchParams(window.location.search).get("payouts") === "return") refresh.mutate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!payouts.data?.enabled) return null;
  const status = payouts.data.account;
  const available = balance.data?.balances.find((b) => b.currency === "USD")?.balanceMinor ?? 0;
  const amount = parseMoneyInput(text, "USD");
  return (
    <section aria-labelledby="payouts-h" className={card} data-testid="payouts-panel">
      <h2 id="payouts-h" className="text-lg font-semibold">
        Payouts
      </h2>
      <p className="mt-1 text-sm">
        Payout account: <strong data-testid="payout-account-status">{STATUS_WORDS[status]}</strong>
      </p>
      {status !== "ready" ? (
        <button type="button" className={`${buttonSecondary} mt-2`} disabled={connect.isPending} onClick={() => connect.mutate()}>
          {status === "not_connected" ? "Connect a payout account" : "Continue setting up payouts"}
        </button>
      ) : (
        <form
          className="mt-3 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (amount && amount > 0 && !withdraw.isPending) withdraw.mutate({ amount, currency: "USD", requestKey: submission.key() });
          }}
        >
          <div>
            <label htmlFor="withdraw-amount" className="block text-sm font-medium text-stone-800">
              Withdraw (USD, up to {formatMoney(available, "USD")} available)
            </label>
            <input id="withdraw-amount" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} className={`${inputField} w-32`} />
          </div>
          <button type="submit" className={buttonPrimary} disabled={withdraw.isPending || !amount}>
            {withdraw.isPending ? "Withdrawing…" : "Withdraw"}
          </button>
        </form>
      )}
      <div className="mt-2" aria-live="polite">
        {connect.error ? <ErrorNote>{appError(connect.error).message}</ErrorNote> : null}
        {withdraw.error ? <ErrorNote>{appError(withdraw.error).message}</ErrorNote> : null}
        {withdraw.isSuccess ? (
          <p role="status" className="text-sm text-emerald-800">
            Sent: {formatMoney(withdraw.data.amountMinor, withdraw.data.currency)} is on its way to your payout account.
          </p>
        ) : null}
      </div>
      {payouts.data.payouts.length ? (
        <ul className="mt-3 divide-y divide-stone-100 text-sm" data-testid="payouts-list">
          {payouts.data.payouts.map((p) => (
            <li key={p.id} className="flex justify-between gap-3 py-2">
              <span>
                <DateTime iso={p.createdAt.toISOString()} /> · {PAYOUT_WORDS[p.status] ?? p.status}
                {p.failureReason ? <span className="block text-xs text-stone-600">{p.failureReason}</span> : null}
              </span>
              <span className="font-semibold tabular-nums">{formatMoney(p.amountMinor, p.currency)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
