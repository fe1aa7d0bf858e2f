"use client";
// The chat with an agent. It fills the window: the open orders' status and
// actions pinned on top, the messages scrolling in between (stuck to the
// newest), the composer at the bottom. Everything is polled (2 s): the agent
// works through the API, not this page.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { OrderPolicy } from "~/components/escrow/order-policy";
import { EscrowStatusBar } from "~/components/escrow/status-bar";
import { TERMINAL_STATUSES } from "~/components/escrow/status-words";
import { useRefreshAfterCommand } from "~/components/escrow/use-escrow-command";
import { ErrorNote } from "~/components/ui/error-note";
import { customerErrorMessage } from "~/components/ui/plain-words";
import { useTRPC } from "~/trpc/react";
import { chatItems } from "./chat-items";
import { Composer } from "./composer";
import { useFillViewport, useFocusStartsAtTop, useStickToBottom } from "./use-chat-layout";
import { CHAT_POLL_MS, useChatLog } from "./use-chat-log";

function ChatHeader({ agentName, agentHandle }: { agentName: string; agentHandle: string | null }) {
  return (
    <header className="mb-2 shrink-0">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <Link href="/c" className="text-sm font-medium text-brand-700 hover:underline">
          ← All chats
        </Link>
        <h1 className="text-xl font-bold tracking-tight text-brand-900 sm:text-2xl">
          {agentHandle ? (
            <>
              Chat with{" "}
              <Link href={`/agents/${agentHandle}`} className="hover:underline">
                {agentName}
              </Link>
            </>
          ) : (
            "Chat"
          )}
        </h1>
      </div>
      <p className="hidden text-xs text-stone-600 sm:block">
        {agentName} is an AI agent. Holdfast holds payments; only “Holdfast notice” comes from the platform.
      </p>
    </header>
  );
}

/** In a purchase by the owner's own agent the agent speaks; the owner reads and acts on the orders. */
function BuyerAgentNote({ name }: { name: string }) {
  return (
    <p className="text-sm text-stone-700" data-testid="buyer-agent-note">
      Your agent {name} is buying here with your wallet; its messages are shown as “{name}”. You can act on the orders
      above. To tell your agent what to do, reply to its alert in the{" "}
      <Link href="/owner" className="text-brand-700 hover:underline">
        owner console
      </Link>{" "}
      or your channel.
    </p>
  );
}

export function ChatRoom({ conversationId, policy }: { conversationId: string; policy: OrderPolicy }) {
  const trpc = useTRPC();
  const conversation = useQuery(trpc.chat.conversation.queryOptions({ conversationId }));
  const log = useChatLog(conversationId);
  const orders = useQuery({ ...trpc.orders.list.queryOptions({ conversationId }), refetchInterval: CHAT_POLL_MS });
  const refresh = useRefreshAfterCommand(conversationId);
  const messages = log.data?.messages ?? [];
  const [frameRef, frameHeightPx] = useFillViewport<HTMLElement>();
  const { scrollRef, contentRef } = useStickToBottom(messages.length);
  useFocusStartsAtTop();

  if (conversation.error) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8">
        <ErrorNote>{customerErrorMessage(conversation.error)}</ErrorNote>
      </main>
    );
  }
  const agentName = conversation.data?.agent.display_name ?? "the agent";
  // An agent-to-agent purchase by one of this owner's agents (SPEC §6.6): read and act, but the agent speaks.
  const buyerAgent = conversation.data?.buyer_agent ?? null;
  const escrows = orders.data ?? [];
  const open = escrows.filter((e) => e.status !== "pending" && !TERMINAL_STATUSES.has(e.status));
  const items = chatItems(messages, escrows, { agentName, buyerName: buyerAgent?.display_name ?? null }, policy);

  return (
    <main
      ref={frameRef}
      style={frameHeightPx ? { height: frameHeightPx } : undefined}
      className="mx-auto flex min-h-[70vh] max-w-3xl flex-col px-3 pt-3 sm:px-4 sm:pt-4"
      data-testid="chat-frame"
    >
      <ChatHeader agentName={agentName} agentHandle={conversation.data?.agent.handle ?? null} />
      {open.length ? (
        <div className="mb-2 max-h-[45%] shrink-0 space-y-2 overflow-y-auto" aria-label="Open orders" role="region" data-testid="open-orders">
          {open.map((escrow) => (
            <EscrowStatusBar key={escrow.id} escrow={escrow} policy={policy} />
          ))}
        </div>
      ) : null}
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto rounded-lg bg-stone-100/60" data-testid="chat-scroll">
        <h2 id="messages-heading" className="sr-only">
          Messages
        </h2>
        <ol ref={contentRef} aria-labelledby="messages-heading" aria-live="polite" className="flex flex-col gap-3 p-3">
          {log.isPending ? <li className="text-sm text-stone-600">Loading messages…</li> : null}
          {!log.isPending && messages.length === 0 ? (
            <li className="text-sm text-stone-600">Say hello: tell {agentName} what you need. It will send you an offer.</li>
          ) : null}
          {items}
        </ol>
      </div>
      <div className="shrink-0 border-t border-stone-200 bg-stone-50 py-2" data-testid="chat-composer">
        {buyerAgent ? (
          <BuyerAgentNote name={buyerAgent.display_name} />
        ) : (
          <Composer conversationId={conversationId} agentName={agentName} onSent={refresh} />
        )}
      </div>
    </main>
  );
}
