"use client";
// An agent's offer, shown in the chat where it was made: what, how much, by
// when, and Accept & pay / Decline while it is open. An insufficient balance
// says how much is missing and where to add funds.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Countdown } from "~/components/ui/countdown";
import { ErrorNote } from "~/components/ui/error-note";
import { formatHours, formatMoney } from "~/components/ui/format";
import { buttonSecondary } from "~/components/ui/styles";
import { customerErrorMessage } from "~/components/ui/plain-words";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { EscrowView } from "~/trpc/types";
import { PayByCardButton } from "~/components/payments/pay-by-card-button";
import { PaymentPendingNotice } from "~/components/payments/payment-pending-notice";
import { Confirm } from "./confirm";
import { reviewWindowWords, type OrderPolicy } from "./order-policy";
import { statusWords } from "./status-words";
import { useEscrowCommands } from "./use-escrow-command";

function InsufficientFunds({ escrow }: { escrow: EscrowView }) {
  const trpc = useTRPC();
  const balance = useQuery(trpc.wallet.balance.queryOptions());
  const have = balance.data?.balances.find((b) => b.currency === escrow.currency)?.balanceMinor ?? 0;
  const missing = Math.max(0, escrow.amount - have);
  return (
    <ErrorNote>
      <p>
        Your wallet has {formatMoney(have, escrow.currency)}; this offer needs {formatMoney(escrow.amount, escrow.currency)}
        {missing > 0 ? ` (${formatMoney(missing, escrow.currency)} more)` : ""}. Nothing was charged and the offer is still open.
      </p>
      {balance.data?.cardPayments ? (
        <div className="mt-2">
          <PayByCardButton escrowId={escrow.id} shortfallOnly={have > 0} />
        </div>
      ) : (
        <p className="mt-1">
          <Link href="/wallet" className="font-semibold underline">
            Add funds in your wallet
          </Link>
          , then come back and accept.
        </p>
      )}
    </ErrorNote>
  );
}

/** A card payment for this offer that Stripe has not yet confirmed: the order starts only when it does. */
function CardPaymentWaiting({ escrowId }: { escrowId: string }) {
  const trpc = useTRPC();
  const balance = useQuery(trpc.wallet.balance.queryOptions());
  return balance.data?.cardPayments ? <PaymentPendingNotice escrowId={escrowId} /> : null;
}

/** What paying does, said before the customer pays: the amount, where it goes, the due time, the review window. */
function PayQuestion({ escrow, policy }: { escrow: EscrowView; policy: OrderPolicy }) {
  const money = formatMoney(escrow.amount, escrow.currency);
  const agent = escrow.agent.display_name;
  const due = escrow.delivery_in_hours ? `within ${formatHours(escrow.delivery_in_hours)} of paying` : "as agreed in the chat";
  return (
    <div className="space-y-1" data-testid="pay-question">
      <p className="font-semibold">Pay {money} now?</p>
      <ul className="list-disc space-y-0.5 pl-5">
        <li>
          {money} leaves your wallet and Holdfast holds it in escrow; {agent} is not paid yet.
        </li>
        <li>Delivery is due {due}. If nothing arrives in time, you can cancel and get it all back.</li>
        <li>
          After delivery you have {reviewWindowWords(policy, escrow.amount, escrow.currency)} to approve it or report a problem;
          if you do neither, the payment is released to {agent}.
        </li>
      </ul>
    </div>
  );
}

export function OfferCard({ escrow, policy }: { escrow: EscrowView; policy: OrderPolicy }) {
  const commands = useEscrowCommands(escrow.conversation_id);
  const { accept, decline } = commands;
  const busy = accept.isPending || decline.isPending;
  const canAccept = escrow.allowed_actions.includes("accept");
  const canDecline = escrow.allowed_actions.includes("decline");
  // Once the offer is no longer open, an earlier refusal to pay is history, not advice.
  const acceptError = accept.error && escrow.status === "pending" ? appError(accept.error) : null;
  const words = statusWords(escrow);
  return (
    <li className="flex justify-start">
      <article
        aria-label={`Offer: ${escrow.title}`}
        data-testid="offer-card"
        data-escrow-status={escrow.status}
        className="w-full max-w-xl rounded-lg border-2 border-brand-600/40 bg-white p-4 shadow-sm"
      >
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
          Offer from {escrow.agent.display_name} · ref {escrow.reference_code}
        </p>
        <h3 className="mt-1 text-lg font-semibold text-stone-900">{escrow.title}</h3>
        {escrow.description ? <p className="mt-1 whitespace-pre-wrap text-sm text-stone-700">{escrow.description}</p> : null}
        <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
          <div>
            <dt className="text-stone-600">Price</dt>
            <dd className="text-lg font-bold text-stone-900">{formatMoney(escrow.amount, escrow.currency)}</dd>
          </div>
          <div>
            <dt className="text-stone-600">Delivery</dt>
            <dd className="font-medium">
              {escrow.delivery_in_hours ? `within ${formatHours(escrow.delivery_in_hours)} of paying` : "as agreed in chat"}
            </dd>
          </div>
        </dl>
        {escrow.catalog_notice ? (
          // The platform's words, not the agent's: set apart from the offer text it checks.
          <p
            role="note"
            data-testid="catalog-notice"
            data-notice-kind={escrow.catalog_notice.kind}
            className={
              escrow.catalog_notice.kind === "above_catalog_price"
                ? "mt-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950"
                : "mt-3 rounded border border-stone-200 bg-stone-50 px-3 py-2 text-sm text-stone-700"
            }
          >
            <span className="font-semibold">Holdfast: </span>
            {escrow.catalog_notice.text}
          </p>
        ) : null}
        {canAccept || canDecline ? (
          <>
            {escrow.deadline_action === "offer_expired" && escrow.deadline ? (
              <p className="mt-3 text-sm text-stone-700">
                This offer expires <Countdown at={escrow.deadline} />.
              </p>
            ) : null}
            <p className="mt-3 text-xs text-stone-600">
              Paying holds the money in escrow. {escrow.agent.display_name} is paid only after delivering and your approval;
              if nothing is delivered in time you get it back.
            </p>
            <div className="mt-3 flex flex-wrap gap-2">
              {canAccept ? (
                <Confirm
                  label={`Accept & pay ${formatMoney(escrow.amount, escrow.currency)}`}
                  question={<PayQuestion escrow={escrow} policy={policy} />}
                  confirmLabel={`Yes, pay ${formatMoney(escrow.amount, escrow.currency)}`}
                  pending={accept.isPending}
                  onConfirm={() => accept.mutate({ escrowId: escrow.id })}
                />
              ) : null}
              {canDecline ? (
                <button type="button" className={buttonSecondary} disabled={busy} onClick={() => decline.mutate({ escrowId: escrow.id })}>
                  {decline.isPending ? "Declining…" : "Decline"}
                </button>
              ) : null}
            </div>
          </>
        ) : (
          <p className="mt-3 text-sm font-medium text-stone-700" data-testid="offer-state" data-order-focus={escrow.id} tabIndex={-1}>
            {words.label}
          </p>
        )}
        <div className="mt-3 space-y-2" aria-live="polite">
          {canAccept ? <CardPaymentWaiting escrowId={escrow.id} /> : null}
          {acceptError?.appCode === "insufficient_funds" ? <InsufficientFunds escrow={escrow} /> : null}
          {acceptError && acceptError.appCode !== "insufficient_funds" ? <ErrorNote>{customerErrorMessage(accept.error)}</ErrorNote> : null}
          {decline.error ? <ErrorNote>{customerErrorMessage(decline.error)}</ErrorNote> : null}
        </div>
      </article>
    </li>
  );
}
