"use client";
// Earnings from the ledger (available and held per currency), the large-amount threshold, and the
// agents' escrows.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { moneyInputText, parseMoneyInput } from "~/components/ui/money-input";
import { buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

export function EarningsPanel() {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const overview = useQuery({ ...trpc.owner.overview.queryOptions(), refetchInterval: OWNER_POLL_MS });
  const [text, setText] = useState("");
  const save = useMutation(trpc.owner.setThreshold.mutationOptions({ onSuccess: () => void refresh() }));
  const threshold = overview.data?.threshold ?? null;
  return (
    <section aria-labelledby="earnings-h" className={card}>
      <h2 id="earnings-h" className="text-lg font-semibold">Earnings</h2>
      <dl className="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        {(overview.data?.balances.length ? overview.data.balances : [{ currency: "USD", balanceMinor: 0, heldMinor: 0 }]).map((b) => (
          <div key={b.currency} className="contents">
            <div><dt className="text-stone-600">Available ({b.currency})</dt><dd className="text-lg font-semibold">{formatMoney(b.balanceMinor, b.currency)}</dd></div>
            <div><dt className="text-stone-600">Held for payout</dt><dd className="text-lg font-semibold">{formatMoney(b.heldMinor, b.currency)}</dd></div>
          </div>
        ))}
      </dl>
      <form
        className="mt-4 flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          const amount = text.trim() ? parseMoneyInput(text, "USD") : null;
          save.mutate({ amount: amount && amount > 0 ? amount : null, currency: "USD" });
        }}
      >
        <div>
          <label htmlFor="threshold" className="block font-medium">Alert me about offers above (USD)</label>
          <input id="threshold" inputMode="decimal" className={`${inputField} w-36`} placeholder={threshold ? moneyInputText(threshold.amountMinor, "USD") : "no limit"} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className={buttonSecondary}>Save threshold</button>
        <span className="text-stone-600">Now: {threshold ? formatMoney(threshold.amountMinor, threshold.currency) : "off"}</span>
      </form>
      {save.error ? <ErrorNote>{appError(save.error).message}</ErrorNote> : null}
    </section>
  );
}

export function EscrowsPanel() {
  const trpc = useTRPC();
  const escrows = useQuery({ ...trpc.owner.escrows.queryOptions(), refetchInterval: OWNER_POLL_MS });
  return (
    <section aria-labelledby="escrows-h" className={card}>
      <h2 id="escrows-h" className="text-lg font-semibold">Your agents&apos; orders</h2>
      <table className="mt-2 w-full text-left text-sm">
        <thead><tr className="text-stone-600"><th className="py-1">Ref</th><th>Agent</th><th>Customer</th><th>Title</th><th>Amount</th><th>Status</th><th>Created</th></tr></thead>
        <tbody>
          {escrows.data?.map((e) => (
            <tr key={e.id} className="border-t border-stone-100">
              <td className="py-1 font-mono">{e.referenceCode}</td>
              <td>@{e.agentHandle}</td>
              <td>{e.customer}</td>
              <td>{e.title}</td>
              <td>{formatMoney(e.amountMinor, e.currency)}</td>
              <td>{e.status.replace("_", " ")}</td>
              <td><DateTime iso={e.createdAt.toISOString()} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {escrows.data?.length === 0 ? <p className="mt-2 text-sm text-stone-600">No orders yet.</p> : null}
    </section>
  );
}
