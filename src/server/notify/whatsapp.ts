// The WhatsApp channel (Cloud API): a text message to the owner's number. The message id the API
// returns (wamid…) comes back as context.id when the owner replies, which routes the reply to its alert.
// The API base URL (with its version) is configurable so tests talk to a local server.
import type { NotificationChannel, OutgoingNotification, SendReceipt } from "./channel";

export interface WhatsAppOptions {
  /** e.g. https://graph.facebook.com/v21.0 (HOLDFAST_WHATSAPP_API_URL) */
  apiUrl: string;
  accessToken: string;
  phoneNumberId: string;
  timeoutMs?: number;
}

interface CloudApiAnswer {
  messages?: { id: string }[];
  error?: { message?: string; code?: number };
}

export function createWhatsAppChannel(options: WhatsAppOptions): NotificationChannel {
  return {
    name: "whatsapp",
    async send(message: OutgoingNotification): Promise<SendReceipt> {
      const url = `${options.apiUrl.replace(/\/$/, "")}/${encodeURIComponent(options.phoneNumberId)}/messages`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${options.accessToken}` },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: message.address,
          type: "text",
          text: { preview_url: false, body: `*${message.subject}*\n\n${message.body}`.slice(0, 4096) },
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const answer = (await response.json().catch(() => null)) as CloudApiAnswer | null;
      const id = answer?.messages?.[0]?.id;
      if (!response.ok || !id) throw new Error(`WhatsApp: ${answer?.error?.message ?? `HTTP ${response.status}`}`);
      return { providerMessageId: id };
    },
  };
}
