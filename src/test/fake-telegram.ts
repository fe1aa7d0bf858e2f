// A local HTTP server that speaks the Telegram Bot API as far as Holdfast uses it: POST
// /bot<token>/sendMessage answers {ok, result: Message} with increasing message ids, or Telegram's
// error shape. `failNext(n)` makes the next n calls fail (500), for retry tests. `update()` builds an
// Update as Telegram posts it to a webhook.
import { failureSwitch, startLoopbackJsonServer, type JsonAnswer } from "./loopback-json-server";

export interface SentTelegramMessage {
  chat_id: string;
  text: string;
  message_id: number;
}

export interface FakeTelegram {
  url: string;
  token: string;
  sent: SentTelegramMessage[];
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(token = "123456:TEST-bot-token"): Promise<FakeTelegram> {
  const sent: SentTelegramMessage[] = [];
  const failures = failureSwitch();
  let nextId = 1000;
  const telegramError = (status: number, description: string): JsonAnswer => ({ status, payload: { ok: false, error_code: status, description } });
  const server = await startLoopbackJsonServer(({ method, url, body }) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url);
    if (method !== "POST" || !match) return telegramError(404, "Not Found");
    if (match[1] !== token) return telegramError(401, "Unauthorized");
    if (failures.shouldFail()) return telegramError(500, "Internal Server Error: try again");
    if (match[2] !== "sendMessage") return telegramError(404, "Not Found: method not found");
    let params: { chat_id?: unknown; text?: unknown };
    try {
      params = JSON.parse(body) as typeof params;
    } catch {
      return telegramError(400, "Bad Request: invalid JSON");
    }
    if ((typeof params.chat_id !== "string" && typeof params.chat_id !== "number") || typeof params.text !== "string" || !params.text) {
      return telegramError(400, "Bad Request: chat_id and text are required");
    }
    const message_id = nextId++;
    sent.push({ chat_id: String(params.chat_id), text: params.text, message_id });
    return {
      status: 200,
      payload: {
        ok: true,
        result: { message_id, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: "private" }, text: params.text },
      },
    };
  });
  return { ...server, token, sent, failNext: failures.failNext };
}

let updateCounter = 500_000;

/** A Telegram Update with a text message from `chatId`, optionally replying to one of the bot's messages. */
export function telegramUpdate(chatId: string | number, text: string, replyToMessageId?: number, updateId = updateCounter++) {
  const chat = { id: Number(chatId), type: "private", first_name: "Olivia" };
  return {
    update_id: updateId,
    message: {
      message_id: updateId + 1,
      from: { id: Number(chatId), is_bot: false, first_name: "Olivia" },
      chat,
      date: Math.floor(Date.now() / 1000),
      text,
      ...(replyToMessageId !== undefined
        ? { reply_to_message: { message_id: replyToMessageId, from: { id: 1, is_bot: true, first_name: "Holdfast" }, chat, date: 0, text: "…" } }
        : {}),
    },
  };
}
