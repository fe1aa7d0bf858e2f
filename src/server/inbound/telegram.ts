// The Telegram webhook (POST /api/telegram/webhook): Telegram sends each Update with the secret token
// we registered in X-Telegram-Bot-Api-Secret-Token. A missing or wrong token is 401 and writes
// nothing. Each update_id is processed once (inbound_webhooks, same transaction as the work), so
// Telegram's redeliveries change nothing. "/start <token>" links the chat; any other text from a
// linked chat is an owner's reply, routed to an alert (src/server/owner/instructions.ts).
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { enqueueNotification } from "../notify/enqueue";
import { alertOfSentMessage, routeChatReply } from "../owner/instructions";
import { linkTelegramChat } from "../owner/telegram-link";
import { parseClientJson } from "../http/client-json";
import { BODY_LIMIT_BYTES, capRequestBody } from "../http/read-body";
import { claimInbound, json, safeEqual } from "./verify";
import { observeRequest } from "../http/observe";

export interface TelegramInboundConfig {
  /** HOLDFAST_TELEGRAM_WEBHOOK_SECRET; unset → the webhook is off (404). */
  secretToken: string | undefined;
}

interface TelegramMessage {
  message_id: number;
  chat: { id: number | string };
  text?: string;
  reply_to_message?: { message_id: number };
}

interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
}

function parseUpdate(raw: unknown): TelegramUpdate | null {
  if (typeof raw !== "object" || raw === null) return null;
  const u = raw as Record<string, unknown>;
  if (typeof u.update_id !== "number" || !Number.isSafeInteger(u.update_id)) return null;
  const m = u.message as Record<string, unknown> | undefined;
  if (m === undefined) return { update_id: u.update_id };
  const chat = m?.chat as Record<string, unknown> | undefined;
  if (typeof m !== "object" || m === null || typeof m.message_id !== "number" || !chat) return null;
  if (typeof chat.id !== "number" && typeof chat.id !== "string") return null;
  const reply = m.reply_to_message as Record<string, unknown> | undefined;
  return {
    update_id: u.update_id,
    message: {
      message_id: m.message_id,
      chat: { id: chat.id },
      ...(typeof m.text === "string" ? { text: m.text } : {}),
      ...(reply && typeof reply.message_id === "number" ? { reply_to_message: { message_id: reply.message_id } } : {}),
    },
  };
}

/** The inbound webhook's one dispatch point: request id, span and request log line (src/server/http/observe.ts). */
export function handleTelegramWebhook(request: Request, ctx: EngineContext, config: TelegramInboundConfig): Promise<Response> {
  return observeRequest("webhook-inbound", request, () => dispatch(request, ctx, config));
}

async function dispatch(request: Request, ctx: EngineContext, config: TelegramInboundConfig): Promise<Response> {
  if (!config.secretToken) return json(404, { error: "telegram is not configured" });
  if (request.method !== "POST") return json(405, { error: "POST only" });
  const given = request.headers.get("x-telegram-bot-api-secret-token");
  if (given === null || !safeEqual(given, config.secretToken)) return json(401, { error: "bad secret token" });
  const capped = await capRequestBody(request, BODY_LIMIT_BYTES.webhook);
  if (capped instanceof Response) return capped;
  const parsed = parseClientJson(new TextDecoder().decode(capped.bytes));
  if (!parsed.ok) return json(400, { error: parsed.message });
  const update = parseUpdate(parsed.value);
  if (!update) return json(400, { error: "not a Telegram update" });

  const outcome = await inTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    if (!(await claimInbound(tx, "telegram", String(update.update_id), "received", now))) return "duplicate";
    const message = update.message;
    const result = await (async () => {
      if (!message?.text) return "ignored";
      const chatId = String(message.chat.id);
      const tell = (template: string, subject: string, body: string) =>
        enqueueNotification(tx, { channel: "telegram", address: chatId, template, subject, body, dedupeKey: `${template}:telegram:${update.update_id}`, now });
      const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(message.text.trim());
      if (start) {
        const linked = start[1] ? await linkTelegramChat(tx, start[1], chatId, now) : ({ kind: "bad_token" } as const);
        if (linked.kind === "linked_elsewhere") {
          await tell(
            "telegram_link_refused",
            "This chat is linked to another Holdfast account",
            "Nothing was changed. To link this chat to a different account, first remove Telegram in the owner console of the account it is linked to (Channels → Telegram → Remove), then open a fresh link.",
          );
          return "link_refused";
        }
        if (linked.kind === "bad_token") {
          await tell("telegram_link_failed", "This link did not work", "Open the Holdfast owner console and use a fresh Telegram link (links work once, for 15 minutes).");
          return "link_failed";
        }
        await tell("telegram_linked", "Telegram is linked", "Your agents' alerts will arrive here. Reply to an alert to instruct the agent.");
        return "linked";
      }
      const channel = await tx.ownerChannel.findFirst({ where: { channel: "telegram", address: chatId, verifiedAt: { not: null } } });
      if (!channel) {
        await tell("telegram_unknown_chat", "This chat is not linked", "Link it from the Holdfast owner console (Channels → Telegram).");
        return "unknown_chat";
      }
      const repliedTo = message.reply_to_message
        ? await alertOfSentMessage(tx, "telegram", chatId, String(message.reply_to_message.message_id))
        : null;
      const routed = await routeChatReply(tx, ctx, {
        ownerId: channel.ownerId,
        via: "telegram",
        address: chatId,
        text: message.text,
        repliedToAlertId: repliedTo,
        inboundId: String(update.update_id),
      });
      return routed ? `routed:${routed.alertId}` : "unrouted";
    })();
    await tx.inboundWebhook.update({
      where: { source_externalId: { source: "telegram", externalId: String(update.update_id) } },
      data: { outcome: result },
    });
    return result;
  });
  return json(200, { ok: true, outcome });
}
