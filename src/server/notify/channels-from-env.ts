// The channels this process can send through, from the environment. Email goes over SMTP when
// HOLDFAST_SMTP_URL is set; Telegram when HOLDFAST_TELEGRAM_BOT_TOKEN is; WhatsApp when
// HOLDFAST_WHATSAPP_TOKEN and HOLDFAST_WHATSAPP_PHONE_NUMBER_ID are. Otherwise (development and demo)
// the channel is written to the log. In production without it there is no such channel: its
// notifications are recorded, fail and stay visible in the delivery log rather than pretending to
// have been sent.
import type { Env } from "~/env";
import { channelRegistry, type ChannelRegistry, type NotificationChannel } from "./channel";
import { createEmailChannel } from "./email";
import { createLogChannel } from "./log";
import { createTelegramChannel } from "./telegram";
import { createWhatsAppChannel } from "./whatsapp";

export function channelsFromEnv(e: Env): ChannelRegistry {
  const channels: NotificationChannel[] = [];
  const logFallback = e.NODE_ENV !== "production" || e.HOLDFAST_DEMO;
  // The demo prints whole notifications to its terminal; elsewhere the log gets their ids only.
  const print = e.HOLDFAST_DEMO ? (line: string) => void process.stdout.write(`${line}\n`) : undefined;
  if (e.HOLDFAST_SMTP_URL) channels.push(createEmailChannel({ smtpUrl: e.HOLDFAST_SMTP_URL, from: e.HOLDFAST_EMAIL_FROM }));
  else if (logFallback) channels.push(createLogChannel("email", print));
  if (e.HOLDFAST_TELEGRAM_BOT_TOKEN) {
    channels.push(createTelegramChannel({ apiUrl: e.HOLDFAST_TELEGRAM_API_URL, botToken: e.HOLDFAST_TELEGRAM_BOT_TOKEN }));
  } else if (logFallback) channels.push(createLogChannel("telegram", print));
  if (e.HOLDFAST_WHATSAPP_TOKEN && e.HOLDFAST_WHATSAPP_PHONE_NUMBER_ID) {
    channels.push(
      createWhatsAppChannel({
        apiUrl: e.HOLDFAST_WHATSAPP_API_URL,
        accessToken: e.HOLDFAST_WHATSAPP_TOKEN,
        phoneNumberId: e.HOLDFAST_WHATSAPP_PHONE_NUMBER_ID,
      }),
    );
  } else if (logFallback) channels.push(createLogChannel("whatsapp", print));
  return channelRegistry(channels);
}
