"use client";
// Notification channels: email (on by default), WhatsApp (a number), Telegram (linked by deep link),
// each with a minimum severity and a "Send test" that goes through the same outbox as real alerts;
// the delivery log underneath shows every attempt. A typed-in address gets a code first and receives
// nothing else until the owner enters it here.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonSecondary, card, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { OWNER_POLL_MS, useOwnerRefresh } from "./use-owner";

const LABEL = { email: "Email", telegram: "Telegram", whatsapp: "WhatsApp" } as const;
type ChannelName = keyof typeof LABEL;

export function ChannelsPanel() {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const view = useQuery({ ...trpc.owner.channels.queryOptions(), refetchInterval: OWNER_POLL_MS });
  const [phone, setPhone] = useState("");
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<{ url: string | null; command: string } | null>(null);
  const [tested, setTested] = useState<ChannelName | null>(null);
  const [codes, setCodes] = useState<Partial<Record<ChannelName, string>>>({});
  const [verified, setVerified] = useState<ChannelName | null>(null);
  const save = useMutation(trpc.owner.saveChannel.mutationOptions({ onSuccess: () => void refresh() }));
  const verify = useMutation(
    trpc.owner.verifyChannel.mutationOptions({
      onSuccess: (_r, v) => {
        setVerified(v.channel);
        setCodes((c) => ({ ...c, [v.channel]: "" }));
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.owner.removeChannel.mutationOptions({ onSuccess: () => void refresh() }));
  const test = useMutation(trpc.owner.sendTest.mutationOptions({ onSuccess: (_r, v) => { setTested(v.channel); void refresh(); } }));
  const telegramLink = useMutation(trpc.owner.telegramLink.mutationOptions({ onSuccess: (r) => setLink(r) }));
  const channels = view.data?.channels ?? [];
  const byName = (c: ChannelName) => channels.find((x) => x.channel === c);
  const error = save.error ?? verify.error ?? remove.error ?? test.error ?? telegramLink.error;

  return (
    <section aria-labelledby="channels-h" className={card}>
      <h2 id="channels-h" className="text-lg font-semibold">Notification channels</h2>
      <p className="mt-1 text-sm text-stone-600">Alerts go to every channel on this list. Reply to an alert on Telegram or WhatsApp to instruct the agent.</p>
      <ul className="mt-3 space-y-3 text-sm">
        {(["email", "telegram", "whatsapp"] as const).map((name) => {
          const c = byName(name);
          return (
            <li key={name} className="rounded-md border border-stone-200 p-3" data-testid={`channel-${name}`}>
              <div className="flex flex-wrap items-center gap-2">
                <strong className="w-24">{LABEL[name]}</strong>
                <span className="text-stone-700">
                  {c ? (c.verified ? `${c.address}${c.enabled ? "" : " (off)"}` : `${c.pendingAddress ?? c.address} (not verified yet)`) : "not set up"}
                </span>
                {c ? (
                  <>
                    <label className="flex items-center gap-1">
                      <span className="sr-only">Minimum severity for {LABEL[name]}</span>
                      <select
                        className="rounded border border-stone-300 px-1 py-0.5"
                        value={c.minSeverity}
                        onChange={(e) => save.mutate({ channel: name, minSeverity: e.target.value as "info" | "warning" | "urgent" })}
                      >
                        <option value="info">all alerts</option>
                        <option value="warning">warning and urgent</option>
                        <option value="urgent">urgent only</option>
                      </select>
                    </label>
                    {c.verified ? (
                      <button type="button" className={buttonSecondary} onClick={() => test.mutate({ channel: name })} disabled={test.isPending}>
                        Send test
                      </button>
                    ) : null}
                    {c.enabled ? (
                      <button type="button" className="text-red-800 underline" onClick={() => remove.mutate({ channel: name })}>
                        {name === "email" ? "Turn off" : "Remove"}
                      </button>
                    ) : (
                      <button type="button" className="text-brand-700 underline" onClick={() => save.mutate({ channel: name, enabled: true })}>
                        Turn on
                      </button>
                    )}
                  </>
                ) : null}
              </div>
              {c?.pendingAddress ? (
                <form
                  className="mt-2 flex flex-wrap items-center gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    verify.mutate({ channel: name, code: codes[name] ?? "" });
                  }}
                >
                  <span className="w-full text-stone-600">
                    We sent a 6-digit code to {c.pendingAddress}; it gets no alerts until you enter it
                    {name === "email" && c.verified ? ` (until then they go to ${c.address})` : ""}.
                  </span>
                  <label htmlFor={`ch-code-${name}`} className="sr-only">Verification code for {LABEL[name]}</label>
                  <input
                    id={`ch-code-${name}`}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    className={`${inputField} w-32`}
                    placeholder="123456"
                    value={codes[name] ?? ""}
                    onChange={(e) => setCodes((x) => ({ ...x, [name]: e.target.value }))}
                  />
                  <button type="submit" className={buttonSecondary} disabled={verify.isPending}>Verify</button>
                  <button type="button" className="text-brand-700 underline" onClick={() => save.mutate({ channel: name, address: c.pendingAddress! })}>
                    Send a new code
                  </button>
                </form>
              ) : null}
              {name === "email" ? (
                <form className="mt-2 flex gap-2" onSubmit={(e) => { e.preventDefault(); save.mutate({ channel: "email", address: email }); }}>
                  <label htmlFor="ch-email" className="sr-only">Alert email address</label>
                  <input id="ch-email" type="email" className={`${inputField} w-72`} placeholder="another address for alerts" value={email} onChange={(e) => setEmail(e.target.value)} />
                  <button type="submit" className={buttonSecondary}>Use this address</button>
                </form>
              ) : null}
              {name === "whatsapp" ? (
                <form className="mt-2 flex gap-2" onSubmit={(e) => { e.preventDefault(); save.mutate({ channel: "whatsapp", address: phone }); }}>
                  <label htmlFor="ch-whatsapp" className="sr-only">WhatsApp number</label>
                  <input id="ch-whatsapp" className={`${inputField} w-56`} placeholder="+1 555 010 2030" value={phone} onChange={(e) => setPhone(e.target.value)} />
                  <button type="submit" className={buttonSecondary}>Save number</button>
                </form>
              ) : null}
              {name === "telegram" ? (
                <div className="mt-2">
                  <button type="button" className={buttonSecondary} onClick={() => telegramLink.mutate()}>
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
                  {view.data && !view.data.telegram.configured ? (
                    <p className="mt-1 text-xs text-stone-500">This server has no Telegram bot token; messages go to the server log.</p>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div aria-live="polite" className="mt-2">
        {tested ? <p role="status" className="text-sm text-emerald-800">Test message queued for {LABEL[tested]}; see the delivery log.</p> : null}
        {verified ? <p role="status" className="text-sm text-emerald-800">{LABEL[verified]} is verified: alerts will arrive there.</p> : null}
        {error ? <ErrorNote>{appError(error).message}</ErrorNote> : null}
      </div>
      <details className="mt-4 text-sm" open>
        <summary className="cursor-pointer font-medium">Delivery log</summary>
        <table className="mt-2 w-full text-left text-xs">
          <thead>
            <tr className="text-stone-600"><th className="py-1">When</th><th>Channel</th><th>Message</th><th>Status</th><th>Attempts</th></tr>
          </thead>
          <tbody data-testid="delivery-log">
            {view.data?.deliveries.map((d) => (
              <tr key={d.id} className="border-t border-stone-100 align-top">
                <td className="py-1"><DateTime iso={d.createdAt.toISOString()} /></td>
                <td>{d.channel}</td>
                <td>{d.subject}</td>
                <td>{d.status}{d.lastError ? <span className="block text-red-800">{d.lastError}</span> : null}</td>
                <td>{d.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
