"use client";
// Notification channels: email (on by default), WhatsApp (a number), Telegram (linked by deep link),
// each with a minimum severity and a "Send test" that goes through the same outbox as real alerts;
// the delivery log underneath shows every attempt. A typed-in address gets a code first and receives
// nothing else until the owner enters it here.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { DeliveryLog } from "./delivery-log";
import { Skeleton } from "./skeleton";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

const LABEL = { email: "Email", telegram: "Telegram", whatsapp: "WhatsApp" } as const;
type ChannelName = keyof typeof LABEL;
type Channel = RouterOutputs["owner"]["channels"]["channels"][number];
type Severity = "info" | "warning" | "urgent";

/** Every change a channel row can make, sharing one refresh and one place for the outcome. */
function useChannelActions() {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [tested, setTested] = useState<ChannelName | null>(null);
  const [verified, setVerified] = useState<ChannelName | null>(null);
  const [link, setLink] = useState<{ url: string | null; command: string } | null>(null);
  const save = useMutation(trpc.owner.saveChannel.mutationOptions({ onSuccess: () => void refresh() }));
  const verify = useMutation(
    trpc.owner.verifyChannel.mutationOptions({
      onSuccess: (_r, v) => {
        setVerified(v.channel);
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.owner.removeChannel.mutationOptions({ onSuccess: () => void refresh() }));
  const test = useMutation(
    trpc.owner.sendTest.mutationOptions({
      onSuccess: (_r, v) => {
        setTested(v.channel);
        void refresh();
      },
    }),
  );
  const telegramLink = useMutation(trpc.owner.telegramLink.mutationOptions({ onSuccess: (r) => setLink(r) }));
  const error = save.error ?? verify.error ?? remove.error ?? test.error ?? telegramLink.error;
  return { save, verify, remove, test, telegramLink, tested, verified, link, error };
}
type Actions = ReturnType<typeof useChannelActions>;

function ChannelControls({ name, c, actions }: { name: ChannelName; c: Channel; actions: Actions }) {
  return (
    <>
      <label className="flex items-center gap-1">
        <span className="sr-only">Minimum severity for {LABEL[name]}</span>
        <select
          className="rounded border border-stone-300 px-1 py-0.5"
          value={c.minSeverity}
          onChange={(e) => actions.save.mutate({ channel: name, minSeverity: e.target.value as Severity })}
        >
          <option value="info">all alerts</option>
          <option value="warning">warning and urgent</option>
          <option value="urgent">urgent only</option>
        </select>
      </label>
      {c.verified ? (
        <button
          type="button"
          className={buttonSecondary}
          onClick={() => actions.test.mutate({ channel: name })}
          disabled={actions.test.isPending}
        >
          Send test
        </button>
      ) : null}
      {c.enabled ? (
        <button
          type="button"
          className="text-red-800 underline"
          onClick={() => actions.remove.mutate({ channel: name })}
        >
          {name === "email" ? "Turn off" : "Remove"}
        </button>
      ) : (
        <button
          type="button"
          className="text-brand-700 underline"
          onClick={() => actions.save.mutate({ channel: name, enabled: true })}
        >
          Turn on
        </button>
      )}
    </>
  );
}

/** The code sent to a new address: nothing but the code reaches it until it is entered. */
function VerifyCode({
  name,
  c,
  actions,
}: {
  name: ChannelName;
  c: Channel & { pendingAddress: string };
  actions: Actions;
}) {
  const [code, setCode] = useState("");
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        actions.verify.mutate({ channel: name, code }, { onSuccess: () => setCode("") });
      }}
    >
      <span className="w-full text-stone-600">
        We sent a 6-digit code to {c.pendingAddress}; it gets no alerts until you enter it
        {name === "email" && c.verified ? ` (until then they go to ${c.address})` : ""}.
      </span>
      <label htmlFor={`ch-code-${name}`} className="sr-only">
        Verification code for {LABEL[name]}
      </label>
      <input
        id={`ch-code-${name}`}
        inputMode="numeric"
        autoComplete="one-time-code"
        className={`${inputField} w-32`}
        placeholder="123456"
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <button type="submit" className={buttonSecondary} disabled={actions.verify.isPending}>
        Verify
      </button>
      <button
        type="button"
        className="text-brand-700 underline"
        onClick={() => actions.save.mutate({ channel: name, address: c.pendingAddress })}
      >
        Send a new code
      </button>
    </form>
  );
}

/** A new address for email or WhatsApp. */
function AddressForm({ name, actions }: { name: "email" | "whatsapp"; actions: Actions }) {
  const [address, setAddress] = useState("");
  const email = name === "email";
  return (
    <form
      className="mt-2 flex flex-wrap gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        actions.save.mutate({ channel: name, address });
      }}
    >
      <label htmlFor={`ch-${name}`} className="sr-only">
        {email ? "Alert email address" : "WhatsApp number"}
      </label>
      <input
        id={`ch-${name}`}
        type={email ? "email" : "text"}
        className={`${inputField} ${email ? "sm:w-72" : "sm:w-56"} w-full`}
        placeholder={email ? "another address for alerts" : "+1 555 010 2030"}
        value={address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <button type="submit" className={buttonSecondary}>
        {email ? "Use this address" : "Save number"}
      </button>
    </form>
  );
}

function TelegramConnect({
  c,
  configured,
  actions,
}: {
  c: Channel | undefined;
  configured: boolean;
  actions: Actions;
}) {
  const { link } = actions;
  return (
    <div className="mt-2">
      <button type="button" className={buttonSecondary} onClick={() => actions.telegramLink.mutate()}>
        {c ? "Link another chat" : "Connect Telegram"}
      </button>
      {link ? (
        <p className="mt-2" role="status">
          {link.url ? (
            <a className="font-medium text-brand-700 underline" href={link.url} target="_blank" rel="noreferrer">
              Open the Holdfast bot in Telegram
            </a>
          ) : (
            <>No bot username is configured; send the bot: </>
          )}{" "}
          <code className="break-all">{link.command}</code> (valid for 15 minutes, once).
        </p>
      ) : null}
      {!configured ? (
        <p className="mt-1 text-xs text-stone-600">
          This server has no Telegram bot token; messages go to the server log.
        </p>
      ) : null}
    </div>
  );
}

function ChannelItem({
  name,
  c,
  telegramConfigured,
  actions,
}: {
  name: ChannelName;
  c: Channel | undefined;
  telegramConfigured: boolean;
  actions: Actions;
}) {
  return (
    <li className="rounded-md border border-stone-200 p-3" data-testid={`channel-${name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <strong className="w-24">{LABEL[name]}</strong>
        <span className="break-all text-stone-700">
          {c
            ? c.verified
              ? `${c.address}${c.enabled ? "" : " (off)"}`
              : `${c.pendingAddress ?? c.address} (not verified yet)`
            : "not set up"}
        </span>
        {c ? <ChannelControls name={name} c={c} actions={actions} /> : null}
      </div>
      {c?.pendingAddress ? (
        <VerifyCode name={name} c={{ ...c, pendingAddress: c.pendingAddress }} actions={actions} />
      ) : null}
      {name === "email" || name === "whatsapp" ? <AddressForm name={name} actions={actions} /> : null}
      {name === "telegram" ? <TelegramConnect c={c} configured={telegramConfigured} actions={actions} /> : null}
    </li>
  );
}

export function ChannelsPanel() {
  const trpc = useTRPC();
  const view = useQuery({ ...trpc.owner.channels.queryOptions(), refetchInterval: OWNER_POLL_MS });
  const actions = useChannelActions();
  const channels = view.data?.channels ?? [];
  return (
    <div className="space-y-4">
      <section aria-labelledby="channels-h" className={card}>
        <h2 id="channels-h" className="text-lg font-semibold">
          Where alerts go
        </h2>
        <p className="mt-1 text-sm text-stone-600">
          Alerts go to every channel on this list. Reply to an alert on Telegram or WhatsApp to instruct the agent.
        </p>
        {view.isPending ? (
          <div className="mt-3">
            <Skeleton rows={3} />
          </div>
        ) : (
          <ul className="mt-3 space-y-3 text-sm">
            {(["email", "telegram", "whatsapp"] as const).map((name) => (
              <ChannelItem
                key={name}
                name={name}
                c={channels.find((x) => x.channel === name)}
                telegramConfigured={view.data?.telegram.configured ?? false}
                actions={actions}
              />
            ))}
          </ul>
        )}
        <div aria-live="polite" className="mt-2">
          {actions.tested ? (
            <p role="status" className="text-sm text-emerald-800">
              Test message queued for {LABEL[actions.tested]}; see the delivery log.
            </p>
          ) : null}
          {actions.verified ? (
            <p role="status" className="text-sm text-emerald-800">
              {LABEL[actions.verified]} is verified: alerts will arrive there.
            </p>
          ) : null}
          {actions.error ? <ErrorNote>{appError(actions.error).message}</ErrorNote> : null}
        </div>
      </section>
      <DeliveryLog deliveries={view.data?.deliveries ?? []} />
    </div>
  );
}
