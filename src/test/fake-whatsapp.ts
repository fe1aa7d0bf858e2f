// A local HTTP server that speaks the WhatsApp Cloud API as far as Holdfast uses it: POST
// /<phone-number-id>/messages with a Bearer token answers {messaging_product, contacts, messages:
// [{id: "wamid…"}]}, or the Graph API error shape. `failNext(n)` makes the next n calls fail (500).
// `inboundText()` builds the webhook notification Meta posts for an incoming text, and
// `signBody()` its X-Hub-Signature-256.
import { createHmac, randomBytes } from "node:crypto";
import { failureSwitch, startLoopbackJsonServer, type JsonAnswer } from "./loopback-json-server";

export interface SentWhatsAppMessage {
  to: string;
  body: string;
  id: string;
}

export interface FakeWhatsApp {
  url: string;
  accessToken: string;
  phoneNumberId: string;
  sent: SentWhatsAppMessage[];
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeWhatsApp(accessToken = "EAAtest-token", phoneNumberId = "106540352242922"): Promise<FakeWhatsApp> {
  const sent: SentWhatsAppMessage[] = [];
  const failures = failureSwitch();
  const graphError = (status: number, message: string, code: number): JsonAnswer => ({
    status,
    payload: { error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEf" } },
  });
  const server = await startLoopbackJsonServer(({ method, url, headers, body }) => {
    if (method !== "POST" || url !== `/${phoneNumberId}/messages`) return graphError(404, "Unknown path components", 2500);
    if (headers.authorization !== `Bearer ${accessToken}`) return graphError(401, "Invalid OAuth access token.", 190);
    if (failures.shouldFail()) return graphError(500, "An unexpected error has occurred. Please retry your request later.", 2);
    let params: { messaging_product?: unknown; to?: unknown; type?: unknown; text?: { body?: unknown } };
    try {
      params = JSON.parse(body) as typeof params;
    } catch {
      return graphError(400, "Invalid JSON", 100);
    }
    if (params.messaging_product !== "whatsapp" || typeof params.to !== "string" || params.type !== "text" || typeof params.text?.body !== "string") {
      return graphError(400, "(#100) Invalid parameter", 100);
    }
    const id = `wamid.${randomBytes(12).toString("base64url")}`;
    sent.push({ to: params.to, body: params.text.body, id });
    return { status: 200, payload: { messaging_product: "whatsapp", contacts: [{ input: params.to, wa_id: params.to }], messages: [{ id }] } };
  });
  return { ...server, accessToken, phoneNumberId, sent, failNext: failures.failNext };
}

/** The webhook notification for a text from `from`, optionally replying to message `contextId`. */
export function inboundText(phoneNumberId: string, from: string, text: string, contextId?: string, messageId = `wamid.${randomBytes(12).toString("base64url")}`) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WHATSAPP_BUSINESS_ACCOUNT_ID",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550000000", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: "Olivia" }, wa_id: from }],
              messages: [
                {
                  from,
                  id: messageId,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: text },
                  ...(contextId ? { context: { from: "15550000000", id: contextId } } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

export function signBody(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody, "utf8").digest("hex")}`;
}
