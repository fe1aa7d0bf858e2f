// The email channel: SMTP through nodemailer (HOLDFAST_SMTP_URL, e.g. smtp://user:pass@host:587).
import { createTransport, type Transporter } from "nodemailer";
import type { NotificationChannel, OutgoingNotification, SendReceipt } from "./channel";

export interface EmailChannelOptions {
  smtpUrl: string;
  from: string;
  /** Give up on one SMTP conversation after this long; the relay retries later. */
  timeoutMs?: number;
}

export function createEmailChannel(options: EmailChannelOptions): NotificationChannel & { close(): void } {
  const timeout = options.timeoutMs ?? 20_000;
  const transport: Transporter = createTransport(options.smtpUrl, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: "email",
    async send(message: OutgoingNotification): Promise<SendReceipt> {
      const result = await transport.sendMail({
        from: options.from,
        to: message.address,
        subject: message.subject,
        text: message.body,
        headers: { "X-Holdfast-Notification": message.notificationId },
      });
      const refused = [...result.rejected, ...(result.pending ?? [])].filter(Boolean);
      if (refused.length > 0) throw new Error(`the SMTP server refused ${refused.map(String).join(", ")}`);
      return { providerMessageId: result.messageId };
    },
    close: () => transport.close(),
  };
}
