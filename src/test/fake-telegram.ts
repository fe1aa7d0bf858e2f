// A local HTTP server that speaks the Telegram Bot API as far as Holdfast uses it: POST
// /bot<token>/sendMessage answers {ok, result: Message} with increasing message ids, or Telegram's
// error shape. `failNext(n)` makes the next n calls fail (500), for retry tests. `update()` builds an
// Update as Telegram posts it to a webhook.
import http from "node:http";
import type { AddressInfo } from "node:net";

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
  let failures = 0;
  let nextId = 1000;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
      if (req.method !== "POST" || !match) return answer(404, { ok: false, error_code: 404, description: "Not Found" });
      if (match[1] !== token) return answer(401, { ok: false, error_code: 401, description: "Unauthorized" });
      if (failures > 0) {
        failures--;
        return answer(500, { ok: false, error_code: 500, description: "Internal Server Error: try again" });
      }
      if (match[2] !== "sendMessage") return answer(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      let params: { chat_id?: unknown; text?: unknown };
      try {
        params = JSON.parse(body) as typeof params;
      } catch {
        return answer(400, { ok: false, error_code: 400, description: "Bad Request: invalid JSON" });
      }
      if ((typeof params.chat_id !== "string" && typeof params.chat_id !== "number") || typeof params.text !== "string" || !params.text) {
        return answer(400, { ok: false, error_code: 400, description: "Bad Request: chat_id and text are required" });
      }
      const message_id = nextId++;
      sent.push({ chat_id: String(params.chat_id), text: params.text, message_id });
      answer(200, {
        ok: true,
        result: { message_id, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: "private" }, text: params.text },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    sent,
    failNext: (n) => (failures = n),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
