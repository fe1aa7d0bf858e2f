"use client";
// Open card chargebacks (issue 15), beside the escrow cases: who disputed how much and why, in words,
// where the evidence stands, and that the customer's wallet takes no new orders until the dispute closes.
// Stripe's card network decides these; Holdfast has already answered with its own record.
import { useQuery } from "@tanstack/react-query";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { card } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { chargebackStatusWords, chargebackWords } from "./admin-words";

const POLL_MS = 15_000;

export function Chargebacks() {
  const trpc = useTRPC();
  const open = useQuery({ ...trpc.admin.chargebacks.queryOptions(), refetchInterval: POLL_MS });
  return (
    <section aria-labelledby="chargebacks-heading" className={card}>
      <h2 id="chargebacks-heading" className="text-lg font-semibold">
        Card chargebacks
      </h2>
      {open.isError ? <ErrorNote>{appError(open.error).message}</ErrorNote> : null}
      {open.data?.length === 0 ? <p className="mt-2 text-sm text-stone-600">No open chargebacks.</p> : null}
      <ul className="mt-2 divide-y divide-stone-100 text-sm" data-testid="chargebacks">
        {open.data?.map((c) => (
          <li key={c.dispute_id} className="py-2" data-testid="chargeback">
            <p>{chargebackWords(c)}</p>
            <p className="text-xs text-stone-600">
              {chargebackStatusWords(c.status, c.evidence_submitted)} · opened <DateTime iso={c.opened_at} /> · {c.customer.email} ·
              dispute {c.dispute_id}
            </p>
            <p className="text-xs text-stone-600">
              {c.customer.display_name}&apos;s wallet takes no new orders, card payments or returns to the card until the card
              network closes this.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
