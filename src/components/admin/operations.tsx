"use client";
// /admin/ops: the machinery at a glance, refreshed every few seconds — timer lag, the outboxes with their
// failing items, webhook endpoints failing per agent, the last ledger check (with "Run now"), and the
// worker heartbeats of every server process.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorNote } from "~/components/ui/error-note";
import { formatDateTime, formatDuration } from "~/components/ui/format";
import { buttonSecondary, card } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { DeliveryItems } from "./delivery-items";
import { ProcessHeartbeats } from "./process-heartbeats";

const POLL_MS = 5_000;

function Figure({
  label,
  value,
  bad,
  testId,
}: {
  label: string;
  value: string | number;
  bad?: boolean;
  testId?: string;
}) {
  return (
    <div>
      <dt className="text-xs uppercase text-stone-600">{label}</dt>
      <dd
        className={`text-lg font-semibold tabular-nums ${bad ? "text-red-800" : "text-stone-900"}`}
        data-testid={testId}
      >
        {value}
      </dd>
    </div>
  );
}

const late = (s: number) => (s > 0 ? formatDuration(s * 1000) : "—");

interface Backlog {
  pending: number;
  due: number;
  oldestDueLatenessS: number;
  retrying: number;
  failed: number;
}

function BacklogFigures({ backlog, name }: { backlog: Backlog; name: string }) {
  return (
    <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-5">
      <Figure label="Pending" value={backlog.pending} testId={`${name}-pending`} />
      <Figure label="Due now" value={backlog.due} />
      <Figure
        label="Oldest due, late by"
        value={late(backlog.oldestDueLatenessS)}
        bad={backlog.oldestDueLatenessS > 300}
      />
      <Figure label="Retrying" value={backlog.retrying} bad={backlog.retrying > 0} />
      <Figure label="Failed" value={backlog.failed} bad={backlog.failed > 0} testId={`${name}-failed`} />
    </dl>
  );
}

function LedgerCheck() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ops = useQuery(trpc.admin.ops.queryOptions());
  const run = useMutation(
    trpc.admin.runLedgerCheck.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.admin.pathFilter()),
    }),
  );
  const last = ops.data?.ledgerCheck ?? null;
  return (
    <section id="ledger-check" aria-labelledby="ledger-heading" className={card}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="ledger-heading" className="text-lg font-semibold">
          Ledger check
        </h2>
        <button type="button" className={buttonSecondary} disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? "Checking…" : "Run now"}
        </button>
      </div>
      {run.error ? <ErrorNote>{appError(run.error).message}</ErrorNote> : null}
      {last === null ? (
        <p className="mt-2 text-sm text-stone-600">No check has run yet.</p>
      ) : (
        <div className="mt-2 text-sm" data-testid="ledger-check">
          <p className={last.ok ? "text-emerald-800" : "font-semibold text-red-800"}>
            {last.ok
              ? "Every invariant holds."
              : `${last.violationCount} violation${last.violationCount === 1 ? "" : "s"}.`}
          </p>
          <p className="text-xs text-stone-600">
            {formatDateTime(last.finishedAt.toISOString())} ·{" "}
            {last.trigger === "manual" ? "run by a moderator" : "scheduled"} · {last.process}
          </p>
          {last.violations.length ? (
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {last.violations.map((v, i) => (
                <li key={i}>
                  <code className="text-xs">{v.invariant}</code> {v.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </section>
  );
}

type OpsView = RouterOutputs["admin"]["ops"];

function TimersSection({ o }: { o: OpsView }) {
  return (
    <section aria-labelledby="timers-heading" className={card}>
      <h2 id="timers-heading" className="text-lg font-semibold">
        Timers <span className="text-sm font-normal text-stone-600">({o.timerEngine} engine)</span>
      </h2>
      <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Figure label="Scheduled" value={o.timers.scheduled} />
        <Figure
          label="Due, not fired"
          value={o.timers.dueUnfired}
          bad={o.timers.dueUnfired > 0 && o.timers.oldestDueLatenessS > 60}
          testId="timers-due"
        />
        <Figure
          label="Oldest due, late by"
          value={late(o.timers.oldestDueLatenessS)}
          bad={o.timers.oldestDueLatenessS > 60}
        />
        <Figure label="Fired last hour" value={o.timers.firedLastHour} />
        <Figure
          label="Latest firing, late by"
          value={late(o.timers.maxLatenessLastHourS)}
          bad={o.timers.maxLatenessLastHourS > 60}
        />
      </dl>
    </section>
  );
}

/** Agents whose webhook endpoint keeps failing: a table, stacked rows on a phone. */
function FailingEndpoints({ endpoints }: { endpoints: OpsView["webhooks"]["failingEndpoints"] }) {
  if (endpoints.length === 0) return <p className="mt-2 text-sm text-stone-600">Every agent endpoint answers.</p>;
  return (
    <table className={`${stackedTable} mt-2`} data-testid="failing-endpoints">
      <thead className={stackedHead}>
        <tr>
          {["Agent", "URL", "Failing", "Last attempt", "Last delivered"].map((c) => (
            <th key={c} scope="col" className={stackedTh}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={stackedBody}>
        {endpoints.map((e) => (
          <tr key={e.agentId} data-agent={e.handle} className={stackedRow}>
            <td data-label="Agent" className={stackedCell}>
              @{e.handle}
            </td>
            <td data-label="URL" className={`${stackedCell} break-all`}>
              {e.url ?? "(none any more)"}
            </td>
            <td data-label="Failing" className={stackedCell}>
              {e.failed} failed, {e.retrying} retrying
            </td>
            <td data-label="Last attempt" className={`${stackedCell} text-xs`}>
              <span>
                {e.lastStatusCode !== null ? `HTTP ${e.lastStatusCode}` : (e.lastError ?? "—")}
                {e.lastAttemptAt ? (
                  <span className="block text-stone-600">{formatDateTime(e.lastAttemptAt.toISOString())}</span>
                ) : null}
              </span>
            </td>
            <td data-label="Last delivered" className={`${stackedCell} text-xs`}>
              {e.lastDeliveredAt ? formatDateTime(e.lastDeliveredAt.toISOString()) : "never"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Operations() {
  const trpc = useTRPC();
  const ops = useQuery({ ...trpc.admin.ops.queryOptions(), refetchInterval: POLL_MS });
  if (ops.isPending) return <p className="text-sm text-stone-600">Loading…</p>;
  if (ops.isError) return <ErrorNote>{appError(ops.error).message}</ErrorNote>;
  const o = ops.data;
  return (
    <div className="space-y-6">
      <LedgerCheck />
      <TimersSection o={o} />
      <ProcessHeartbeats processes={o.processes} at={o.at} />

      <section aria-labelledby="webhooks-heading" className={card}>
        <h2 id="webhooks-heading" className="text-lg font-semibold">
          Agent webhooks
        </h2>
        <BacklogFigures backlog={o.webhooks} name="webhooks" />
        <h3 className="mt-4 text-sm font-semibold">Endpoints failing</h3>
        <FailingEndpoints endpoints={o.webhooks.failingEndpoints} />
        <h3 className="mt-4 text-sm font-semibold">Failing deliveries</h3>
        <DeliveryItems items={o.webhooks.failing} label="Failing webhook deliveries" />
      </section>

      <section aria-labelledby="notifications-heading" className={card}>
        <h2 id="notifications-heading" className="text-lg font-semibold">
          Notifications (email, Telegram, WhatsApp)
        </h2>
        <BacklogFigures backlog={o.notifications} name="notifications" />
        <DeliveryItems items={o.notifications.failing} label="Failing notifications" />
      </section>

      <section aria-labelledby="outbox-heading" className={card}>
        <h2 id="outbox-heading" className="text-lg font-semibold">
          Inngest outbox
        </h2>
        {o.outbox === null ? (
          <p className="mt-2 text-sm text-stone-600">
            Not used: the embedded timer engine reads its timers from the database.
          </p>
        ) : (
          <>
            <BacklogFigures backlog={o.outbox} name="outbox" />
            <DeliveryItems items={o.outbox.failing} label="Outbox rows failing to publish" />
          </>
        )}
      </section>
    </div>
  );
}
