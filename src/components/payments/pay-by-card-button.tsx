"use client";
// "Accept & pay by card" on an offer the wallet cannot cover (issue 15): pays the shortfall (or the whole
// amount) on Stripe's page; the offer is accepted by the engine when Stripe's webhook confirms the
// payment, never by coming back from the page.
import { useMutation } from "@tanstack/react-query";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonPrimary, buttonSecondary } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { PaymentPendingNotice } from "./payment-pending-notice";

export function PayByCardButton({ escrowId, shortfallOnly = true }: { escrowId: string; shortfallOnly?: boolean }) {
  const trpc = useTRPC();
  const start = useMutation(trpc.wallet.startCardPayment.mutationOptions({ onSuccess: (r) => window.location.assign(r.checkoutUrl) }));
  return (
    <div className="space-y-2">
      <PaymentPendingNotice escrowId={escrowId} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonPrimary} disabled={start.isPending} onClick={() => start.mutate({ purpose: "offer", escrowId, cover: "shortfall" })}>
          {start.isPending ? "Opening checkout…" : shortfallOnly ? "Accept & pay the rest by card" : "Accept & pay by card"}
        </button>
        {shortfallOnly ? (
          <button type="button" className={buttonSecondary} disabled={start.isPending} onClick={() => start.mutate({ purpose: "offer", escrowId, cover: "whole" })}>
            Pay the whole amount by card
          </button>
        ) : null}
      </div>
      <div aria-live="polite">{start.error ? <ErrorNote>{appError(start.error).message}</ErrorNote> : null}</div>
    </div>
  );
}
