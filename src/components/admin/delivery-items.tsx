"use client";
// The failing items of one outbox (notifications, webhook deliveries, the Inngest outbox) with the
// moderator's two actions: "Retry now" (due at once; the relay sends it within seconds) and "Give up".
// Both are in the audit log; the server refuses items that were delivered or given up meanwhile.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorNote } from "~/components/ui/error-note";
import { formatDateTime } from "~/components/ui/format";
import { buttonDanger, buttonSecondary } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { DeliveryItem } from "~/trpc/types";

export function DeliveryItems({ items, label }: { items: DeliveryItem[]; label: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries(trpc.admin.pathFilter());
  const retry = useMutation(trpc.admin.retryDelivery.mutationOptions({ onSuccess }));
  const giveUp = useMutation(trpc.admin.giveUpDelivery.mutationOptions({ onSuccess }));
  const failure = retry.error ?? giveUp.error;
  if (items.length === 0) return <p className="mt-2 text-sm text-stone-600">Nothing failing.</p>;
  return (
    <div className="mt-2 overflow-x-auto">
      {failure ? <ErrorNote>{appError(failure).message}</ErrorNote> : null}
      <table className="w-full text-left text-sm" aria-label={label} data-testid={`failing-${items[0]!.kind}`}>
        <thead className="text-xs uppercase text-stone-600">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">To</th>
            <th scope="col" className="py-2 pr-3 font-medium">What</th>
            <th scope="col" className="py-2 pr-3 font-medium">State</th>
            <th scope="col" className="py-2 pr-3 font-medium">Last error</th>
            <th scope="col" className="py-2 font-medium">Action</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {items.map((item) => {
            const busy = (retry.isPending && retry.variables?.id === item.id) || (giveUp.isPending && giveUp.variables?.id === item.id);
            return (
              <tr key={`${item.kind}:${item.id}`} data-item-id={item.id}>
                <td className="break-all py-2 pr-3 align-top">{item.target}</td>
                <td className="py-2 pr-3 align-top">
                  {item.what}
                  <span className="block text-xs text-stone-600">since {formatDateTime(item.createdAt.toISOString())}</span>
                </td>
                <td className="py-2 pr-3 align-top">
                  <span className={item.state === "failed" ? "font-semibold text-red-800" : "text-amber-800"}>
                    {item.state === "failed" ? "Failed" : "Retrying"}
                  </span>
                  <span className="block text-xs text-stone-600">
                    {item.attempts} attempt{item.attempts === 1 ? "" : "s"}
                    {item.nextAttemptAt ? `, next ${formatDateTime(item.nextAttemptAt.toISOString())}` : ""}
                  </span>
                </td>
                <td className="break-all py-2 pr-3 align-top text-xs text-stone-700">{item.lastError ?? "—"}</td>
                <td className="whitespace-nowrap py-2 align-top">
                  <button
                    type="button"
                    className={buttonSecondary}
                    disabled={busy}
                    onClick={() => retry.mutate({ kind: item.kind, id: item.id })}
                  >
                    Retry now
                  </button>{" "}
                  <button
                    type="button"
                    className={buttonDanger}
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`Give up on ${item.what} to ${item.target}? It will not be sent again.`)) {
                        giveUp.mutate({ kind: item.kind, id: item.id });
                      }
                    }}
                  >
                    Give up
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
