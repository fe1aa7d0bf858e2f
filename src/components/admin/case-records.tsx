// The record of a case: settlement proposals, the status timeline from the
// audit events, the ledger transfers, both parties' past disputes, and the
// agent's reputation.
import Link from "next/link";
import { DateTime } from "~/components/ui/date-time";
import { formatMoney } from "~/components/ui/format";
import { card, linkText } from "~/components/ui/styles";
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { accountWords, outcomeWords, TRANSFER_WORDS } from "./admin-words";
import { actorWords, commandWords, settlementWords, stateWords } from "./state-words";
import type { AdminCase } from "./case-types";

const FINISHED = ["completed", "refunded", "resolved", "cancelled"];

export function Settlements({ data }: { data: AdminCase }) {
  const { currency, amount } = data.escrow;
  return (
    <section aria-labelledby="settlements-heading" className={card}>
      <h2 id="settlements-heading" className="text-lg font-semibold">
        Settlement proposals
      </h2>
      {data.settlements.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">None were made.</p>
      ) : (
        <ul className="mt-2 space-y-1 text-sm" data-testid="case-settlements">
          {data.settlements.map((s, i) => (
            <li key={s.id}>
              <strong>{s.proposed_by === "agent" ? data.agent.display_name : data.customer.display_name}</strong>{" "}
              proposed {formatMoney(s.refund_amount, currency)} back to the customer,{" "}
              {formatMoney(amount - s.refund_amount, currency)} to the agent —{" "}
              <span className="text-stone-600">{settlementWords(s.status, FINISHED.includes(data.escrow.status), i === data.settlements.length - 1)}</span>{" "}
              · <DateTime iso={s.created_at} className="text-stone-600" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Timeline({ data }: { data: AdminCase }) {
  return (
    <section aria-labelledby="timeline-heading" className={card}>
      <h2 id="timeline-heading" className="text-lg font-semibold">
        Status timeline
      </h2>
      <ol className="mt-2 space-y-2 text-sm" data-testid="case-timeline">
        {data.timeline.map((step, index) => (
          <li key={index} className="border-l-2 border-brand-600/40 pl-3">
            <p>
              <span className="font-medium">{step.from ? stateWords(step.from) : "New"}</span> →{" "}
              <span className="font-medium">{stateWords(step.to)}</span>{" "}
              <span className="text-stone-600">
                ·{" "}
                {step.actor === "timer"
                  ? `by the timer: ${commandWords(step.command)}`
                  : `${actorWords(step.actor)} ${commandWords(step.command)}`}
              </span>
            </p>
            {step.reason ? <p className="whitespace-pre-wrap break-words text-stone-700">“{step.reason}”</p> : null}
            <DateTime iso={step.at} className="text-xs text-stone-600" />
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Transfers({ data }: { data: AdminCase }) {
  const parties = {
    customerId: data.customer.id,
    customer: data.customer.display_name,
    ownerId: data.agent.owner.id,
    owner: data.agent.owner.display_name,
  };
  return (
    <section aria-labelledby="transfers-heading" className={card}>
      <h2 id="transfers-heading" className="text-lg font-semibold">
        Ledger transfers
      </h2>
      {data.transfers.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">No money moved for this order.</p>
      ) : (
        <table className={`${stackedTable} mt-2`} data-testid="case-transfers">
          <thead className={stackedHead}>
            <tr>
              <th scope="col" className={stackedTh}>
                When
              </th>
              <th scope="col" className={stackedTh}>
                What
              </th>
              <th scope="col" className={stackedTh}>
                From → to
              </th>
              <th scope="col" className={`${stackedTh} text-right`}>
                Amount
              </th>
            </tr>
          </thead>
          <tbody className={stackedBody}>
            {data.transfers.map((t) => (
              <tr key={t.id} className={stackedRow}>
                <td data-label="When" className={`${stackedCell} text-stone-600`}>
                  <DateTime iso={t.at} />
                </td>
                <td data-label="What" className={stackedCell}>
                  {TRANSFER_WORDS[t.kind] ?? "Transfer"}
                </td>
                <td data-label="From → to" className={`${stackedCell} text-stone-700`}>
                  {accountWords(t.from, parties)} → {accountWords(t.to, parties)}
                </td>
                <td data-label="Amount" className={`${stackedCell} text-right font-semibold tabular-nums`}>
                  {formatMoney(t.amount, t.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type PastDispute = AdminCase["history"]["agent"][number];

function PastDisputes({ title, rows, testId }: { title: string; rows: PastDispute[]; testId: string }) {
  return (
    <div>
      <h3 className="text-sm font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-stone-600">No other disputes.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm" data-testid={testId}>
          {rows.map((r) => (
            <li key={r.escrow_id}>
              <Link href={`/admin/cases/${r.escrow_id}`} className={linkText}>
                {r.title}
              </Link>{" "}
              <span className="text-stone-600">
                ({formatMoney(r.amount, r.currency)}) — {stateWords(r.status)}
                {r.outcome ? `: ${outcomeWords(r, "the agent", "the customer") ?? ""}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function percent(bps: number | null): string {
  return bps === null ? "—" : `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 1)} %`;
}

export function History({ data }: { data: AdminCase }) {
  const r = data.agent_reputation;
  return (
    <section aria-labelledby="history-heading" className={card}>
      <h2 id="history-heading" className="text-lg font-semibold">
        Both parties&apos; history
      </h2>
      <h3 className="mt-2 text-sm font-semibold">{data.agent.display_name}&apos;s reputation</h3>
      <dl className="mt-1 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="agent-reputation">
        <dt className="text-stone-600">Finished sales</dt>
        <dd className="tabular-nums">{r.finished}</dd>
        <dt className="text-stone-600">Dispute rate</dt>
        <dd className="tabular-nums">{percent(r.disputeRateBps)}</dd>
        <dt className="text-stone-600">Refund rate</dt>
        <dd className="tabular-nums">{percent(r.refundRateBps)}</dd>
        <dt className="text-stone-600">On time</dt>
        <dd className="tabular-nums">{percent(r.onTimeRateBps)}</dd>
        <dt className="text-stone-600">Moderator decisions lost</dt>
        <dd className="tabular-nums">
          {r.adminLosses} of {r.adminDecisions}
        </dd>
        <dt className="text-stone-600">Auto-released share</dt>
        <dd className="tabular-nums">{percent(r.autoReleaseShareBps)}</dd>
      </dl>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <PastDisputes
          title={`${data.agent.display_name}'s other disputes`}
          rows={data.history.agent}
          testId="agent-history"
        />
        <PastDisputes
          title={`${data.customer.display_name}'s other disputes`}
          rows={data.history.customer}
          testId="customer-history"
        />
      </div>
    </section>
  );
}
