"use client";
// The wallet: balance per currency, the test funding source (clearly not real
// money), and the ledger's history with links to the orders involved.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, card, inputField } from "~/components/ui/styles";
import { codeWords, customerErrorMessage } from "~/components/ui/plain-words";
import { TEST_TOPUP_CAP_MINOR } from "~/domain/test-funding";
import { useTRPC } from "~/trpc/react";
import type { EscrowView } from "~/trpc/types";
import { statusWords } from "~/components/escrow/status-words";
import { CardFunding } from "./card-funding";

const POLL_MS = 5_000;

const KIND_WORDS: Record<string, { in: string; out: string }> = {
  topup: { in: "Test funds added", out: "Test funds removed" },
  fund: { in: "Paid into escrow", out: "Paid into escrow" },
  refund: { in: "Refund from escrow", out: "Refund" },
  release: { in: "Payment received", out: "Payment released" },
  fee: { in: "Platform fee", out: "Platform fee" },
  payout: { in: "Payout", out: "Payout to bank" },
  hold_release: { in: "Held payout released", out: "Held payout released" },
  payout_reversal: { in: "Payout returned to your wallet", out: "Payout returned" },
  chargeback: { in: "Chargeback", out: "Taken back by your bank (chargeback)" },
};

/** Orders whose money sits in escrow: paid, and not yet released or refunded. */
const HOLDING_STATUSES = new Set(["active", "delivered", "disputed", "negotiating", "admin_review"]);

function AddTestFunds() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState("100");
  const [touched, setTouched] = useState(false);
  const add = useMutation(
    trpc.wallet.addTestFunds.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.wallet.pathFilter()) }),
  );
  const amount = parseMoneyInput(text, "USD");
  const valid = amount !== null && amount > 0 && amount <= TEST_TOPUP_CAP_MINOR;
  return (
    <section aria-labelledby="add-funds" className={card}>
      <h2 id="add-funds" className="text-lg font-semibold">
        Add funds
      </h2>
      <p className="mt-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <strong>Test money only.</strong> This demo uses Holdfast&apos;s built-in test funding source: no card is charged
        and the money cannot be withdrawn.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (valid) add.mutate({ amount, currency: "USD" });
        }}
      >
        <div>
          <label htmlFor="topup-amount" className="block text-sm font-medium text-stone-800">
            Amount (USD)
          </label>
          <input
            id="topup-amount"
            inputMode="decimal"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={touched && !valid}
            aria-describedby="topup-cap"
            className={`${inputField} w-32`}
          />
        </div>
        <button type="submit" className={buttonPrimary} disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add test funds"}
        </button>
      </form>
      <p id="topup-cap" className="mt-1 text-xs text-stone-600">
        Up to {formatMoney(TEST_TOPUP_CAP_MINOR, "USD")} per top-up.
      </p>
      <div className="mt-2" aria-live="polite">
        {touched && !valid ? (
          <ErrorNote>Enter an amount such as 50 or 12.50, at most {formatMoney(TEST_TOPUP_CAP_MINOR, "USD")} at a time.</ErrorNote>
        ) : null}
        {add.error ? <ErrorNote>{customerErrorMessage(add.error)}</ErrorNote> : null}
        {add.isSuccess && !add.isPending ? (
          <p className="text-sm text-emerald-800" role="status">
            Added. Your balance is updated.
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** Beside a settlement's refund: how the order's money was divided. */
function SettlementNote({ order, kind }: { order: EscrowView | undefined; kind: string }) {
  if (!order || kind !== "refund" || order.outcome !== "split") return null;
  const money = (minor: number) => formatMoney(minor, order.currency);
  return (
    <span className="block text-xs text-stone-600" data-testid="settlement-split">
      Split settlement: {money(order.refund_amount)} back to you, {money(order.amount - order.refund_amount)} to{" "}
      {order.agent.display_name}
    </span>
  );
}

/** Beside the balance: what is held in escrow, order by order, with a link to each order's chat. */
function HeldInEscrow({ orders }: { orders: EscrowView[] }) {
  const held = orders.filter((o) => HOLDING_STATUSES.has(o.status));
  if (held.length === 0) return null;
  const totals = new Map<string, number>();
  for (const o of held) totals.set(o.currency, (totals.get(o.currency) ?? 0) + o.amount);
  return (
    <section aria-labelledby="held" className={card} data-testid="held-in-escrow">
      <h2 id="held" className="text-lg font-semibold">
        Held in escrow{" "}
        <span className="font-bold tabular-nums">
          {[...totals].map(([currency, minor]) => formatMoney(minor, currency)).join(" + ")}
        </span>
      </h2>
      <p className="mt-1 text-sm text-stone-600">Paid, not yet released to the seller or refunded to you.</p>
      <ul className="mt-2 divide-y divide-stone-100 text-sm">
        {held.map((o) => (
          <li key={o.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-2">
            <Link href={`/orders/${o.id}`} className="text-brand-700 hover:underline">
              {o.title} (ref {o.reference_code}) · {o.agent.display_name}
            </Link>
            <span className="text-stone-600">
              {statusWords(o).label} · <strong className="tabular-nums text-stone-900">{formatMoney(o.amount, o.currency)}</strong>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function WalletView() {
  const trpc = useTRPC();
  const balance = useQuery({ ...trpc.wallet.balance.queryOptions(), refetchInterval: POLL_MS });
  const history = useQuery({ ...trpc.wallet.history.queryOptions(), refetchInterval: POLL_MS });
  const orders = useQuery({ ...trpc.orders.list.queryOptions(), refetchInterval: POLL_MS });
  const orderById = new Map((orders.data ?? []).map((o) => [o.id, o]));
  const balances = balance.data?.balances.length ? balance.data.balances : [{ currency: "USD", balanceMinor: 0 }];
  return (
    <div className="space-y-6">
      <section aria-labelledby="balances">
        <h2 id="balances" className="sr-only">
          Balances
        </h2>
        <div className="grid gap-3 sm:grid-cols-3">
          {balance.isPending ? <p className="text-sm text-stone-600">Loading…</p> : null}
          {!balance.isPending &&
            balances.map((b) => (
              <div key={b.currency} className={card} data-testid={`balance-${b.currency}`}>
                <p className="text-sm text-stone-600">Available ({b.currency})</p>
                <p className="text-3xl font-bold tabular-nums text-stone-900">{formatMoney(b.balanceMinor, b.currency)}</p>
              </div>
            ))}
        </div>
        <p className="mt-2 text-xs text-stone-600">Money held in escrow for open orders is not part of your balance until it is refunded.</p>
      </section>
      <HeldInEscrow orders={orders.data ?? []} />
      {balance.data?.testFunding ? <AddTestFunds /> : null}
      {balance.data?.cardPayments ? <CardFunding /> : null}
      <section aria-labelledby="history" className={card}>
        <h2 id="history" className="text-lg font-semibold">
          History
        </h2>
        {history.data && history.data.length === 0 ? <p className="mt-2 text-sm text-stone-600">No movements yet.</p> : null}
        {history.data?.length ? (
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="wallet-history">
              <thead className="text-xs uppercase text-stone-600">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    When
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    What
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {history.data.map((entry) => {
                  const words =
                    entry.kind === "topup" && balance.data?.cardPayments
                      ? { in: "Added by card", out: "Added by card" }
                      : (KIND_WORDS[entry.kind] ?? { in: codeWords(entry.kind), out: codeWords(entry.kind) });
                  const incoming = entry.amount_minor > 0;
                  return (
                    <tr key={entry.id}>
                      <td className="py-2 pr-3 align-top text-stone-600">
                        <DateTime iso={entry.created_at} />
                      </td>
                      <td className="py-2 pr-3 align-top">
                        <span className="font-medium text-stone-900">{incoming ? words.in : words.out}</span>
                        {entry.escrow ? (
                          <>
                            {" · "}
                            <Link href={`/orders/${entry.escrow.id}`} className="text-brand-700 hover:underline">
                              {entry.escrow.title} (ref {entry.escrow.reference_code})
                            </Link>
                            <SettlementNote order={orderById.get(entry.escrow.id)} kind={entry.kind} />
                          </>
                        ) : null}
                      </td>
                      <td className={`py-2 text-right align-top font-semibold tabular-nums ${incoming ? "text-emerald-700" : "text-stone-900"}`}>
                        {incoming ? "+" : "−"}
                        {formatMoney(Math.abs(entry.amount_minor), entry.currency)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
