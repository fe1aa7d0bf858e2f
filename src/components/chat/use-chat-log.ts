"use client";
// The conversation's messages, polled every 2 s. Each poll asks only for
// messages after the last one seen (the server's cursor) and appends them,
// so a long conversation is read once, not on every tick.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CHAT_LOG_KEY } from "~/components/escrow/use-escrow-command";
import { useTRPCClient } from "~/trpc/react";
import type { ChatMessage } from "~/trpc/types";

export interface ChatLog {
  messages: ChatMessage[];
  cursor: string | null;
}

const PAGE = 200;
export const CHAT_POLL_MS = 2_000;

export function useChatLog(conversationId: string) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const queryKey = [CHAT_LOG_KEY, conversationId];
  return useQuery({
    queryKey,
    refetchInterval: CHAT_POLL_MS,
    queryFn: async (): Promise<ChatLog> => {
      const previous = queryClient.getQueryData<ChatLog>(queryKey);
      let messages = previous?.messages ?? [];
      let cursor = previous?.cursor ?? null;
      const seen = new Set(messages.map((m) => m.id));
      for (let page = 0; page < 50; page++) {
        const result = await client.chat.messages.query({ conversationId, after: cursor });
        const fresh = result.messages.filter((m) => !seen.has(m.id));
        if (fresh.length) messages = [...messages, ...fresh];
        cursor = result.nextCursor;
        if (result.messages.length < PAGE) break;
      }
      return previous && previous.messages.length === messages.length && previous.cursor === cursor ? previous : { messages, cursor };
    },
  });
}
