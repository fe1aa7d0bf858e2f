// The Telegram channel (Bot API): sendMessage to the owner's chat. The chat id is the address; it is
// learned when the owner opens the console's deep link (/start <token>, src/server/inbound/telegram.ts).
// The API base URL is configurable so tests talk to a local server that speaks the Bot API.
import type { NotificationChannel, OutgoingNotification, SendReceipt } from "./channel";

export interface TelegramOptions {
  /** e.g. https://api.telegram.org (HOLDFAST_TELEGRAM_API_URL) */
  apiUrl: string;
  botToken: string;
  timeoutMs?: number;
}

interface BotApiAnswer<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
}

/** Calls one Bot API method; throws with Telegram's own description when it refuses. */
export async function callBotApi<T>(options: TelegramOptions, method: string, body: Record<string, unknown>): Promise<T> {
  const url = `${options.apiUrl.replace(/\/$/, "")}/bot${options.botToken}/${method}`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const answer = (await response.json().catch(() => null)) as BotApiAnswer<T> | null;
  if (!response.ok || !answer?.ok || answer.result === undefined) {
    throw new Error(`Telegram ${method}: ${answer?.description ?? `HTTP ${response.status}`}`);
  }
  return answer.result;
}

export function createTelegramChannel(options: TelegramOptions): NotificationChannel {
  return {
    name: "telegram",
    async send(message: OutgoingNotification): Promise<SendReceipt> {
      const sent = await callBotApi<{ message_id: number }>(options, "sendMessage", {
        chat_id: message.address,
        text: `${message.subject}\n\n${message.body}`.slice(0, 4096),
        link_preview_options: { is_disabled: true },
      });
      // Replies name this id in reply_to_message.message_id; routing finds the alert by it.
      return { providerMessageId: String(sent.message_id) };
    },
  };
}
