// The WhatsApp webhook (/api/whatsapp/webhook). GET is Meta's verification handshake: hub.mode=subscribe
// and our verify token → echo hub.challenge. POST carries X-Hub-Signature-256, an HMAC-SHA256 of the
// RAW body with the app secret: it is checked on the bytes before any parsing, and a missing or wrong
// signature is 401 with nothing written. Each message id is processed once (inbound_webhooks, same
// transaction as the work). A text from an owner's number is a reply: context.id names the alert
// message it answers; without it the most recent open alert within 30 minutes.
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { enqueueNotification } from "../notify/enqueue";
import { alertOfSentMessage, routeChatReply } from "../owner/instructions";
import { parseClientJson } from "../http/client-json";
import { BODY_LIMIT_BYTES, capRequestBody } from "../http/read-body";
import { claimInbound, hubSignature, json, safeEqual } from "./verify";
import { observeRequest } from "../http/observe";

export interface WhatsAppInboundConfig {
  /** HOLDFAST_WHATSAPP_APP_SECRET; unset → the webhook is off (404). */
  appSecret: string | undefined;
  /** HOLDFAST_WHATSAPP_VERIFY_TOKEN, for the GET handshake. */
  verifyToken: string | undefined;
}

interface InboundText {
  id: string;
  from: string;
  text: string | null;
  contextId: string | null;
}

function messagesOf(payload: unknown): InboundText[] | null {
  if (typeof payload !== "object" || payload === null) return null;
  const entries = (payload as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) return null;
  const out: InboundText[] = [];
  for (const entry of entries) {
    const changes = (entry as { changes?: unknown } | null)?.changes;
    if (!Array.isArray(changes)) continue;
    for (const change of changes) {
      const messages = (change as { value?: { messages?: unknown } } | null)?.value?.messages;
      if (!Array.isArray(messages)) continue; // statuses (sent, delivered, read) carry no messages
      for (const m of messages as Record<string, unknown>[]) {
        if (typeof m?.id !== "string" || typeof m.from !== "string") continue;
        const text = (m.text as { body?: unknown } | undefined)?.body;
        const contextId = (m.context as { id?: unknown } | undefined)?.id;
        out.push({
          id: m.id,
          from: m.from.replace(/\D/g, ""),
          text: typeof text === "string" ? text : null,
          contextId: typeof contextId === "string" ? contextId : null,
        });
      }
    }
  }
  return out;
}

/** The inbound webhook's one dispatch point: request id, span and request log line (src/server/http/observe.ts). */
export function handleWhatsAppWebhook(request: Request, ctx: EngineContext, config: WhatsAppInboundConfig): Promise<Response> {
  return observeRequest("webhook-inbound", request, () => dispatch(request, ctx, config));
}

async function dispatch(request: Request, ctx: EngineContext, config: WhatsAppInboundConfig): Promise<Response> {
  if (!config.appSecret) return json(404, { error: "whatsapp is not configured" });
  if (request.method === "GET") {
    const q = new URL(request.url).searchParams;
    const token = q.get("hub.verify_token");
    if (q.get("hub.mode") === "subscribe" && config.verifyToken && token !== null && safeEqual(token, config.verifyToken)) {
      return new Response(q.get("hub.challenge") ?? "", { status: 200, headers: { "content-type": "text/plain" } });
    }
    return json(403, { error: "verification failed" });
  }
  if (request.method !== "POST") return json(405, { error: "GET or POST" });
  // The signature covers the raw body, so the body is read first — under a cap, unauthenticated as it is.
  const capped = await capRequestBody(request, BODY_LIMIT_BYTES.webhook);
  if (capped instanceof Response) return capped;
  const raw = capped.bytes;
  const signature = request.headers.get("x-hub-signature-256");
  if (signature === null || !safeEqual(signature, hubSignature(config.appSecret, raw))) return json(401, { error: "bad signature" });
  const parsed = parseClientJson(new TextDecoder().decode(raw));
  if (!parsed.ok) return json(400, { error: parsed.message });
  const messages = messagesOf(parsed.value);
  if (!messages) return json(400, { error: "not a WhatsApp notification" });

  const outcomes = await inTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const results: string[] = [];
    for (const m of messages) {
      if (!(await claimInbound(tx, "whatsapp", m.id, "received", now))) {
        results.push("duplicate");
        continue;
      }
      const result = await (async () => {
        if (m.text === null) return "ignored";
        const channel = await tx.ownerChannel.findFirst({ where: { channel: "whatsapp", address: m.from, verifiedAt: { not: null } } });
        if (!channel) {
          await enqueueNotification(tx, {
            channel: "whatsapp",
            address: m.from,
            template: "whatsapp_unknown_number",
            subject: "This number is not linked",
            body: "Add it in the Holdfast owner console (Channels → WhatsApp) to receive and answer alerts here.",
            dedupeKey: `whatsapp_unknown_number:${m.id}`,
            now,
          });
          return "unknown_number";
        }
        const repliedTo = m.contextId ? await alertOfSentMessage(tx, "whatsapp", m.from, m.contextId) : null;
        const routed = await routeChatReply(tx, ctx, {
          ownerId: channel.ownerId,
          via: "whatsapp",
          address: m.from,
          text: m.text,
          repliedToAlertId: repliedTo,
          inboundId: m.id,
        });
        return routed ? `routed:${routed.alertId}` : "unrouted";
      })();
      await tx.inboundWebhook.update({ where: { source_externalId: { source: "whatsapp", externalId: m.id } }, data: { outcome: result } });
      results.push(result);
    }
    return results;
  });
  // Meta retries anything but 200; a processed or duplicate delivery is 200.
  return json(200, { ok: true, outcomes });
}
