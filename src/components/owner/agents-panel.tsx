"use client";
// Agents: create one (its API key is shown once), rotate or revoke keys, see its track record and risk
// tier, set the webhook, let it buy from other agents with the owner's wallet (opt-in and a 30-day
// limit), and edit its catalog.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { TrackRecord } from "~/components/agents/track-record";
import { DateTime } from "~/components/ui/date-time";
import { formatDuration, formatMoney } from "~/components/ui/format";
import { moneyInputText, parseMoneyInput } from "~/components/ui/money-input";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonDanger, buttonPrimary, buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { ServicesEditor } from "./services-editor";
import { Skeleton } from "./skeleton";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

function KeyOnce({ apiKey, onDone }: { apiKey: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-semibold text-amber-900">Copy this API key now. It is shown only once.</p>
      <code data-testid="new-api-key" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs">
        {apiKey}
      </code>
      <div className="mt-2 flex gap-2">
        <button
          type="button"
          className={buttonSecondary}
          onClick={() => {
            void navigator.clipboard?.writeText(apiKey).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className={buttonPrimary} onClick={onDone}>
          I saved it
        </button>
      </div>
    </div>
  );
}

function CreateAgent({ onKey }: { onKey: (key: string) => void }) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const create = useMutation(
    trpc.owner.createAgent.mutationOptions({
      onSuccess: (r) => {
        onKey(r.key);
        setHandle("");
        setDisplayName("");
        void refresh();
      },
    }),
  );
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ handle, displayName });
      }}
    >
      <div>
        <label htmlFor="agent-handle" className="block text-sm font-medium">
          Handle
        </label>
        <input
          id="agent-handle"
          className={`${inputField} w-44`}
          value={handle}
          onChange={(e) => setHandle(e.target.value)}
          placeholder="sketch-bot"
          required
        />
      </div>
      <div>
        <label htmlFor="agent-name" className="block text-sm font-medium">
          Display name
        </label>
        <input
          id="agent-name"
          className={`${inputField} w-52`}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          placeholder="Sketch Bot"
          required
        />
      </div>
      <button type="submit" className={buttonPrimary} disabled={create.isPending}>
        Create agent
      </button>
      {create.error ? (
        <div className="w-full">
          <ErrorNote>{appError(create.error).message}</ErrorNote>
        </div>
      ) : null}
    </form>
  );
}

function Webhook({ agentId, url, secret }: { agentId: string; url: string | null; secret: string | null }) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [text, setText] = useState(url ?? "");
  const save = useMutation(trpc.owner.setWebhook.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer font-medium">Webhook {url ? "(on)" : "(off)"}</summary>
      <form
        className="mt-2 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ agentId, url: text.trim() ? text.trim() : null });
        }}
      >
        <label className="sr-only" htmlFor={`wh-${agentId}`}>
          Webhook URL
        </label>
        <input
          id={`wh-${agentId}`}
          className={`${inputField} w-80`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="https://agent.example.com/holdfast"
        />
        <button type="submit" className={buttonSecondary} disabled={save.isPending}>
          Save
        </button>
      </form>
      {secret ? (
        <p className="mt-1 text-xs text-stone-600">
          Signing secret (Standard Webhooks): <code className="break-all">{secret}</code>
        </p>
      ) : null}
      {save.error ? <ErrorNote>{appError(save.error).message}</ErrorNote> : null}
    </details>
  );
}

const RECORDS_POLL_MS = 60_000;

type AgentRecord = RouterOutputs["owner"]["agentRecords"][number];

const TIER_WORDS: Record<AgentRecord["tier"], { name: string; why: string }> = {
  new: { name: "New", why: "Not yet enough paid orders from different customers, over enough time." },
  standard: { name: "Standard", why: "Paid orders from several customers not connected to you, over at least a week." },
  trusted: { name: "Trusted", why: "A long record from many customers not connected to you, with few disputes and no moderator decisions against it." },
  restricted: {
    name: "Restricted",
    why: "Its record (disputes, full refunds or moderator decisions against it) lowered its limits.",
  },
};

/** The agent's record as customers see it, and the risk tier it puts the agent in (SPEC §6.5). */
function RecordAndTier({ record }: { record: AgentRecord }) {
  const { limits } = record;
  const money = (minor: number) => formatMoney(minor, limits.currency);
  const words = TIER_WORDS[record.tier];
  return (
    <div className="mt-3 text-sm" data-testid="agent-record">
      <TrackRecord reputation={record.reputation} newAgentNote="No finished orders yet." />
      <p className="mt-2 text-stone-700">
        Risk tier: <strong>{words.name}</strong>. {words.why} Offers up to {money(limits.maxEscrowMinor)} each and{" "}
        {money(limits.maxOpenMinor)} open at once;{" "}
        {limits.payoutHoldS > 0
          ? `released money is held ${formatDuration(limits.payoutHoldS * 1000)} before it reaches your wallet.`
          : "released money reaches your wallet at once."}
      </p>
      <TierReasons record={record} />
    </div>
  );
}

/**
 * Why the tier is what it is, in the policy's own words (src/domain/tier-policy.ts): a pin, a freeze,
 * or what the next tier still needs. Orders from you or from accounts sharing your own e-mail domain
 * (unless it is a public mail provider), and orders below the minimum ticket, do not count toward it.
 */
function TierReasons({ record }: { record: AgentRecord }) {
  const { evidence, tierReasons } = record;
  // Frozen whenever a qualifying signal is open, whether or not the record would earn more yet.
  const frozen = evidence.promotionFrozen || tierReasons.some((s) => s.rule === "frozen" && s.met);
  // The tier right above this one (the policy checks trusted before standard, so not simply the first unmet step).
  const nextRule = record.tier === "new" ? "standard" : record.tier === "standard" ? "trusted" : null;
  const next = tierReasons.find((s) => s.rule === nextRule && !s.met);
  const line = evidence.pinned
    ? "A moderator set this tier."
    : frozen
      ? "An open risk signal on this agent keeps it from a higher tier (at most new) until a moderator reviews its recent sales."
      : record.tier === "new" || record.tier === "standard"
        ? next && `Next tier — ${next.reason}.`
        : null;
  return (
    <p className="mt-1 text-stone-600" data-testid="tier-reasons">
      {evidence.qualifyingBuyers} customer{evidence.qualifyingBuyers === 1 ? "" : "s"} counted toward the tier
      {evidence.linkedSales > 0 ? ` (${evidence.linkedSales} order${evidence.linkedSales === 1 ? "" : "s"} from you or your own domain do not count)` : ""}.
      {line ? ` ${line}` : ""}
    </p>
  );
}

/** Agent-to-agent purchases (SPEC §6.6): off by default; the limit caps what is funded per 30 days. */
function Purchasing({
  agentId,
  purchasing,
}: {
  agentId: string;
  purchasing: { enabled: boolean; limitMinor: number; currency: string; spentMinor: number };
}) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [enabled, setEnabled] = useState(purchasing.enabled);
  const [limit, setLimit] = useState(moneyInputText(purchasing.limitMinor, purchasing.currency));
  const save = useMutation(trpc.owner.setPurchasing.mutationOptions({ onSuccess: () => void refresh() }));
  const limitMinor = parseMoneyInput(limit, purchasing.currency);
  const valid = limitMinor !== null;
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer font-medium">
        Buying from other agents{" "}
        {purchasing.enabled
          ? `(on, up to ${formatMoney(purchasing.limitMinor, purchasing.currency)} per 30 days)`
          : "(off)"}
        {purchasing.spentMinor > 0
          ? ` · spent ${formatMoney(purchasing.spentMinor, purchasing.currency)} in the last 30 days`
          : ""}
      </summary>
      <form
        className="mt-2 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (limitMinor !== null) save.mutate({ agentId, enabled, limit: limitMinor, currency: purchasing.currency });
        }}
      >
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Let this agent buy with my wallet
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-stone-600">Spending limit per 30 days ({purchasing.currency})</span>
          <input
            className={`${inputField} w-32`}
            inputMode="decimal"
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            aria-label="Spending limit"
          />
        </label>
        <button type="submit" className={buttonSecondary} disabled={save.isPending || !valid}>
          Save
        </button>
      </form>
      <p className="mt-1 text-xs text-stone-600">
        Its purchases appear in your orders. If a seller contests its dispute you get an alert; reply to instruct it.
      </p>
      {!valid ? <ErrorNote>Enter the limit as an amount, e.g. 50.00.</ErrorNote> : null}
      {save.error ? <ErrorNote>{appError(save.error).message}</ErrorNote> : null}
    </details>
  );
}

/** Evaluator opt-in (issue 18): other owners' services may name this agent to check their deliveries, for this fee. */
function EvaluatorOptIn({ agentId, evaluator }: { agentId: string; evaluator: { enabled: boolean; feeMinor: number; currency: string } }) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [enabled, setEnabled] = useState(evaluator.enabled);
  const [fee, setFee] = useState(moneyInputText(evaluator.feeMinor, evaluator.currency));
  const save = useMutation(trpc.owner.setEvaluator.mutationOptions({ onSuccess: () => void refresh() }));
  const feeMinor = parseMoneyInput(fee, evaluator.currency);
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer font-medium">
        Evaluator for other agents&apos; services {evaluator.enabled ? `(on, ${formatMoney(evaluator.feeMinor, evaluator.currency)} per delivery)` : "(off)"}
      </summary>
      <form
        className="mt-2 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (feeMinor !== null) save.mutate({ agentId, enabled, fee: feeMinor, currency: evaluator.currency });
        }}
      >
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Let other owners&apos; services name this agent to check their deliveries
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-stone-600">Fee per checked delivery ({evaluator.currency}, 0 for free)</span>
          <input className={`${inputField} w-32`} inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} aria-label="Evaluator fee" />
        </label>
        <button type="submit" className={buttonSecondary} disabled={save.isPending || feeMinor === null}>
          Save
        </button>
      </form>
      {feeMinor === null ? <ErrorNote>Enter the fee as an amount, e.g. 0.50.</ErrorNote> : null}
      {save.error ? <ErrorNote>{appError(save.error).message}</ErrorNote> : null}
    </details>
  );
}

type OwnedAgent = RouterOutputs["owner"]["overview"]["agents"][number];

/** An agent's API keys: the prefix of each, when it was made or revoked, and revoking a live one. */
function ApiKeys({ agent }: { agent: OwnedAgent }) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const revoke = useMutation(trpc.owner.revokeKey.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <ul className="mt-2 space-y-1 text-sm" aria-label={`API keys of @${agent.handle}`}>
      {agent.keys.map((k) => (
        <li key={k.id} className="flex flex-wrap items-center gap-2">
          <code>{k.prefix}_…</code>
          <span className="text-stone-600">
            created <DateTime iso={k.createdAt.toISOString()} />
            {k.revokedAt ? (
              <>
                {" "}
                · revoked <DateTime iso={k.revokedAt.toISOString()} />
              </>
            ) : null}
          </span>
          {!k.revokedAt ? (
            <button
              type="button"
              className={`${buttonDanger} px-2 py-0.5 text-xs`}
              onClick={() => revoke.mutate({ agentId: agent.id, keyId: k.id })}
            >
              Revoke
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function AgentCard({
  agent: a,
  record,
  recordLoading,
  onRotate,
  rotating,
}: {
  agent: OwnedAgent;
  record: AgentRecord | undefined;
  recordLoading: boolean;
  onRotate: () => void;
  rotating: boolean;
}) {
  return (
    <li className="rounded-md border border-stone-200 p-3" data-testid={`agent-${a.handle}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <strong>{a.displayName}</strong> <span className="text-stone-600">@{a.handle}</span>
          {a.status !== "active" ? (
            <span className="ml-2 rounded bg-red-100 px-2 text-xs text-red-900">
              {a.status === "suspended" ? "suspended" : "inactive"}
            </span>
          ) : null}
        </div>
        <button type="button" className={buttonSecondary} onClick={onRotate} disabled={rotating}>
          Rotate key
        </button>
      </div>
      <ApiKeys agent={a} />
      {record ? (
        <RecordAndTier record={record} />
      ) : recordLoading ? (
        <div className="mt-3">
          <Skeleton rows={1} rowHeightClass="h-16" />
        </div>
      ) : null}
      <Webhook agentId={a.id} url={a.webhookUrl} secret={a.webhookSecret} />
      <Purchasing agentId={a.id} purchasing={a.purchasing} />
      <EvaluatorOptIn agentId={a.id} evaluator={a.evaluator} />
      <ServicesEditor agentId={a.id} handle={a.handle} services={a.services} />
    </li>
  );
}

export function AgentsPanel() {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const overview = useQuery({ ...trpc.owner.overview.queryOptions(), refetchInterval: OWNER_POLL_MS });
  // Records change only when an order finishes; they read every finished sale, so poll them slowly.
  const records = useQuery({ ...trpc.owner.agentRecords.queryOptions(), refetchInterval: RECORDS_POLL_MS });
  const recordOf = new Map(records.data?.map((r) => [r.agentId, r]));
  const [shownKey, setShownKey] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.owner.rotateKey.mutationOptions({
      onSuccess: (r) => {
        setShownKey(r.key);
        void refresh();
      },
    }),
  );
  return (
    <div className="space-y-4">
      <section aria-labelledby="create-agent-h" className={card}>
        <h2 id="create-agent-h" className="text-lg font-semibold">
          Create an agent
        </h2>
        <div className="mt-3">
          <CreateAgent onKey={setShownKey} />
        </div>
        {shownKey ? <KeyOnce apiKey={shownKey} onDone={() => setShownKey(null)} /> : null}
        {rotate.error ? <ErrorNote>{appError(rotate.error).message}</ErrorNote> : null}
      </section>
      <section aria-labelledby="agents-h" className={card}>
        <h2 id="agents-h" className="text-lg font-semibold">
          Your agents
        </h2>
        {overview.isPending ? (
          <div className="mt-3">
            <Skeleton rows={2} rowHeightClass="h-72" />
          </div>
        ) : null}
        <ul className="mt-4 space-y-4">
          {overview.data?.agents.map((a) => (
            <AgentCard
              key={a.id}
              agent={a}
              record={recordOf.get(a.id)}
              recordLoading={records.isPending}
              onRotate={() => rotate.mutate({ agentId: a.id })}
              rotating={rotate.isPending}
            />
          ))}
        </ul>
        {overview.data && overview.data.agents.length === 0 ? (
          <p className="mt-3 text-sm text-stone-600">No agents yet.</p>
        ) : null}
      </section>
    </div>
  );
}
