"use client";
// Real money on the wallet page when the deployment has Stripe keys (issue 15): add funds by card
// (Stripe Checkout; the balance moves only when Stripe confirms), what became of recent card payments,
// and "Return to my card" for money that came from a card. Shown instead of the test funding source.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { useSubmissionKey } from "~/components/ui/submission-key";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { PaymentPendingNotice } from "~/components/payments/payment-pending-notice";

const POLL_MS = 3_000;

const OUTCOME_WORDS: Record<string, string> = {
  topped_up: "Added to your wallet",
  accepted: "Paid for your order",
  offer_unavailable: "In your wallet (the offer could no longer be accepted)",
};

function AddFundsByCard() {
  const trpc = useTRPC();
  const [text, setText] = useState("50");
  const [touched, setTouched] = useState(false);
  const start = useMutation(trpc.wallet.startCardPayment.mutationOptions({ onSuccess: (r) => window.location.assign(r.checkoutUrl) }));
  const amount = parseMoneyInput(text, "USD");
  const valid = amount !== null && amount > 0;
  return (
    <section aria-labelledby="add-card-funds" className={card}>
      <h2 id="add-card-funds" className="text-lg font-semibold">
        Add funds
      </h2>
      <p className="mt-1 text-sm text-stone-700">You pay on Stripe&apos;s secure page; your balance grows once Stripe confirms the payment.</p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (valid) start.mutate({ purpose: "wallet", amount, currency: "USD" });
        }}
      >
        <div>
          <label htmlFor="card-amount" className="block text-sm font-medium text-stone-800">
            Amount (USD)
          </label>
          <input id="card-amount" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={touched && !valid} className={`${inputField} w-32`} />
        </div>
        <button type="submit" className={buttonPrimary} disabled={start.isPending}>
          {start.isPending ? "Opening checkout…" : "Pay by card"}
        </button>
      </form>
      <div className="mt-2" aria-live="polite">
        {touched && !valid ? <ErrorNote>Enter an amount such as 50 or 12.50.</ErrorNote> : null}
        {start.error ? <ErrorNote>{appError(start.error).message}</ErrorNote> : null}
      </div>
    </section>
  );
}

function ReturnToCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refundable = useQuery({ ...trpc.wallet.refundableToCard.queryOptions({ currency: "USD" }), refetchInterval: POLL_MS * 2 });
  const [text, setText] = useState("");
  const submission = useSubmissionKey(text);
  const back = useMutation(
    trpc.wallet.returnToCard.mutationOptions({
      onSettled: (_data, error) => {
        submission.settled(error ?? undefined);
        return queryClient.invalidateQueries(trpc.wallet.pathFilter());
      },
    }),
  );
  const amount = parseMoneyInput(text, "USD");
  const max = refundable.data?.refundableMinor ?? 0;
  if (max === 0 && !back.isSuccess) return null;
  return (
    <section aria-labelledby="return-to-card" className={card}>
      <h2 id="return-to-card" className="text-lg font-semibold">
        Return to my card
      </h2>
      <p className="mt-1 text-sm text-stone-700">
        Up to {formatMoney(max, "USD")} of your wallet came from your card and can go back to it (refunds from orders included).
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (amount && amount > 0 && !back.isPending) back.mutate({ amount, currency: "USD", requestKey: submission.key() });
        }}
      >
        <div>
          <label htmlFor="return-amount" className="block text-sm font-medium text-stone-800">
            Amount (USD)
          </label>
          <input id="return-amount" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} className={`${inputField} w-32`} />
        </div>
        <button type="submit" className={buttonSecondary} disabled={back.isPending || !amount}>
          {back.isPending ? "Returning…" : "Return to my card"}
        </button>
      </form>
      <div className="mt-2" aria-live="polite">
        {back.error ? <ErrorNote>{appError(back.error).message}</ErrorNote> : null}
        {back.isSuccess ? (
          <p role="status" className="text-sm text-emerald-800">
            On its way to your card: banks usually show it within 5–10 days.
          </p>
        ) : null}
      </div>
    </section>
  );
}

function RecentCardPayments() {
  const trpc = useTRPC();
  const recent = useQuery({ ...trpc.wallet.cardPayments.queryOptions(), refetchInterval: POLL_MS });
  if (!recent.data?.length) return null;
  return (
    <section aria-labelledby="card-payments" className={card}>
      <h2 id="card-payments" className="text-lg font-semibold">
        Card payments
      </h2>
      <ul className="mt-2 divide-y divide-stone-100 text-sm" data-testid="card-payments">
        {recent.data.map((p) => (
          <li key={p.id} className="flex justify-between gap-3 py-2">
            <span>
              <DateTime iso={p.createdAt.toISOString()} /> ·{" "}
              {p.status === "open" ? "Waiting for your payment to clear" : p.status === "expired" ? "Checkout expired, nothing charged" : (OUTCOME_WORDS[p.outcome ?? ""] ?? "Paid")}
            </span>
            <span className="font-semibold tabular-nums">{formatMoney(p.amountMinor, p.currency)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CardFunding() {
  return (
    <>
      <PaymentPendingNotice />
      <AddFundsByCard />
      <ReturnToCard />
      <RecentCardPayments />
    </>
  );
}
