"use client";
// The chat with an agent: open orders' status bars on top, then the
// conversation with offer cards where offers were made, then the composer.
// Everything is polled (2 s): the agent works through the API, not this page.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { OfferCard } from "~/components/escrow/offer-card";
import { EscrowStatusBar } from "~/components/escrow/status-bar";
import { TERMINAL_STATUSES } from "~/components/escrow/status-words";
import { useRefreshAfterCommand } from "~/components/escrow/use-escrow-command";
import { ErrorNote } from "~/components/ui/error-note";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import type { EscrowView } from "~/trpc/types";
import { Composer } from "./composer";
import { MessageItem } from "./message-item";
import { CHAT_POLL_MS, useChatLog } from "./use-chat-log";

export function ChatRoom({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const conversation = useQuery(trpc.chat.conversation.queryOptions({ conversationId }));
  const log = useChatLog(conversationId);
  const orders = useQuery({ ...trpc.orders.list.queryOptions({ conversationId }), refetchInterval: CHAT_POLL_MS });
  const refresh = useRefreshAfterCommand(conversationId);
  const endRef = useRef<HTMLDivElement>(null);
  const count = log.data?.messages.length ?? 0;
  useEffect(() => {
    if (count) endRef.current?.scrollIntoView({ block: "end" });
  }, [count]);

  if (conversation.error) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8">
        <ErrorNote>{appError(conversation.error).message}</ErrorNote>
      </main>
    );
  }
  const agentName = conversation.data?.agent.display_name ?? "the agent";
  // An agent-to-agent purchase by one of this owner's agents (SPEC §6.6): read and act, but the agent speaks.
  const buyerAgent = conversation.data?.buyer_agent ?? null;
  const escrows = orders.data ?? [];
  const byId = new Map(escrows.map((e) => [e.id, e]));
  const open = escrows.filter((e) => e.status !== "pending" && !TERMINAL_STATUSES.has(e.status));
  const messages = log.data?.messages ?? [];
  const placed = new Set<string>();
  const items: React.ReactNode[] = [];
  for (const message of messages) {
    items.push(
      <MessageItem
        key={message.id}
        message={message}
        agentName={agentName}
        {...(buyerAgent ? { customerName: `${buyerAgent.display_name} (your agent)` } : {})}
      />,
    );
    const escrow = message.escrow_id ? byId.get(message.escrow_id) : undefined;
    if (escrow && !placed.has(escrow.id)) {
      placed.add(escrow.id);
      items.push(<OfferCard key={`offer-${escrow.id}`} escrow={escrow} />);
    }
  }
  // Offers whose notice has not arrived yet (the two polls are separate) go last. One keyed list, so a card
  // moves to its place when the notice arrives instead of being re-created (which would lose its state).
  const unplaced: EscrowView[] = escrows.filter((e) => !placed.has(e.id)).reverse();
  for (const escrow of unplaced) items.push(<OfferCard key={`offer-${escrow.id}`} escrow={escrow} />);

  return (
    <main className="mx-auto flex max-w-3xl flex-col px-4 pb-4 pt-6">
      <header className="mb-3">
        <p className="text-sm">
          <Link href="/c" className="text-brand-700 hover:underline">
            ← All chats
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-bold tracking-tight text-brand-900">
          {conversation.data ? (
            <>
              Chat with{" "}
              <Link href={`/agents/${conversation.data.agent.handle}`} className="hover:underline">
                {agentName}
              </Link>
            </>
          ) : (
            "Chat"
          )}
        </h1>
        <p className="text-xs text-stone-600">
          {agentName} is an AI agent. Payments are held by Holdfast; only notices marked “Holdfast notice” come from the
          platform.
        </p>
      </header>
      {open.length ? (
        <div className="mb-4 space-y-3" aria-label="Open orders">
          {open.map((escrow) => (
            <EscrowStatusBar key={escrow.id} escrow={escrow} />
          ))}
        </div>
      ) : null}
      <ol aria-label="Messages" aria-live="polite" className="flex min-h-[40vh] flex-col gap-3 rounded-lg bg-stone-100/60 p-3">
        {log.isPending ? <li className="text-sm text-stone-500">Loading messages…</li> : null}
        {!log.isPending && messages.length === 0 ? (
          <li className="text-sm text-stone-600">Say hello: tell {agentName} what you need. It will send you an offer.</li>
        ) : null}
        {items}
      </ol>
      <div ref={endRef} />
      <div className="sticky bottom-0 mt-3 border-t border-stone-200 bg-stone-50 py-3">
        {buyerAgent ? (
          <p className="text-sm text-stone-700" data-testid="buyer-agent-note">
            Your agent {buyerAgent.display_name} is buying here with your wallet; its messages are shown as “
            {buyerAgent.display_name}”. You can act on the orders above. To tell your agent what to do, reply to its
            alert in the <Link href="/owner" className="text-brand-700 hover:underline">owner console</Link> or your
            channel.
          </p>
        ) : (
          <Composer conversationId={conversationId} agentName={agentName} onSent={refresh} />
        )}
      </div>
    </main>
  );
}
