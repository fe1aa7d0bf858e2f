"use client";
// Earnings from the ledger (available and held per currency), the large-amount threshold, and the
// agents' escrows.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { moneyInputText, parseMoneyInput } from "~/components/ui/money-input";
import Link from "next/link";
import { stateWords } from "~/components/admin/state-words";
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { buttonSecondary, card, inputField, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { Skeleton } from "./skeleton";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

export function EarningsPanel() {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const overview = useQuery({ ...trpc.owner.overview.queryOptions(), refetchInterval: OWNER_POLL_MS });
  const [text, setText] = useState("");
  const save = useMutation(trpc.owner.setThreshold.mutationOptions({ onSuccess: () => void refresh() }));
  const threshold = overview.data?.threshold ?? null;
  // A <dl> may hold only dt/dd groups (each in one <div>): one group per figure, two per currency.
  const balances = overview.data?.balances.length
    ? overview.data.balances
    : [{ currency: "USD", balanceMinor: 0, heldMinor: 0 }];
  return (
    <div className="space-y-4">
      <section aria-labelledby="earnings-h" className={card}>
        <h2 id="earnings-h" className="text-lg font-semibold">
          Your wallet
        </h2>
        <dl className="mt-2 grid min-h-14 grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="earnings">
          {balances.flatMap((b) => [
            <div key={`${b.currency}-available`}>
              <dt className="text-stone-600">Available ({b.currency})</dt>
              <dd className="text-lg font-semibold">
                {overview.isPending ? "…" : formatMoney(b.balanceMinor, b.currency)}
              </dd>
            </div>,
            <div key={`${b.currency}-held`}>
              <dt className="text-stone-600">Held for payout ({b.currency})</dt>
              <dd className="text-lg font-semibold">
                {overview.isPending ? "…" : formatMoney(b.heldMinor, b.currency)}
              </dd>
            </div>,
          ])}
        </dl>
      </section>
      <section aria-labelledby="threshold-h" className={card}>
        <h2 id="threshold-h" className="text-lg font-semibold">
          Large offers
        </h2>
        <form
          className="mt-2 flex flex-wrap items-end gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            const amount = text.trim() ? parseMoneyInput(text, "USD") : null;
            save.mutate({ amount: amount && amount > 0 ? amount : null, currency: "USD" });
          }}
        >
          <div>
            <label htmlFor="threshold" className="block font-medium">
              Alert me about offers above (USD)
            </label>
            <input
              id="threshold"
              inputMode="decimal"
              className={`${inputField} w-36`}
              placeholder={threshold ? moneyInputText(threshold.amountMinor, "USD") : "no limit"}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <button type="submit" className={buttonSecondary}>
            Save threshold
          </button>
          <span className="text-stone-600">
            Now: {threshold ? formatMoney(threshold.amountMinor, threshold.currency) : "off"}
          </span>
        </form>
        {save.error ? <ErrorNote>{appError(save.error).message}</ErrorNote> : null}
      </section>
    </div>
  );
}

export function EscrowsPanel() {
  const trpc = useTRPC();
  const escrows = useQuery({ ...trpc.owner.escrows.queryOptions(), refetchInterval: OWNER_POLL_MS });
  const columns = ["Order", "Agent", "Customer", "Amount", "State", "Created"] as const;
  return (
    <section aria-label="Orders, newest first" className={card}>
      {escrows.isPending ? <Skeleton rows={4} rowHeightClass="h-8" /> : null}
      {escrows.data?.length ? (
        <table className={stackedTable} data-testid="owner-orders">
          <thead className={stackedHead}>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col" className={stackedTh}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={stackedBody}>
            {escrows.data.map((e) => (
              <tr key={e.id} className={stackedRow} data-testid="owner-order-row">
                <td data-label="Order" className={stackedCell}>
                  <span>
                    <Link href={`/owner/orders/${e.id}`} className={linkText}>
                      {e.title}
                    </Link>
                    <span className="block font-mono text-xs text-stone-600">{e.referenceCode}</span>
                  </span>
                </td>
                <td data-label="Agent" className={stackedCell}>
                  @{e.agentHandle}
                </td>
                <td data-label="Customer" className={stackedCell}>
                  {e.customer}
                </td>
                <td data-label="Amount" className={`${stackedCell} tabular-nums`}>
                  {formatMoney(e.amountMinor, e.currency)}
                </td>
                <td data-label="State" className={stackedCell}>
                  {stateWords(e.status)}
                </td>
                <td data-label="Created" className={stackedCell}>
                  <DateTime iso={e.createdAt.toISOString()} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {escrows.data?.length === 0 ? <p className="text-sm text-stone-600">No orders yet.</p> : null}
    </section>
  );
}
