// The channels this process can send through, from the environment. Email goes over SMTP when
// HOLDFAST_SMTP_URL is set; otherwise (development and demo) it is written to the log. In production
// without SMTP there is no email channel: email notifications are recorded, fail and stay visible
// in the delivery log rather than pretending to have been sent.
import type { Env } from "~/env";
import { channelRegistry, type ChannelRegistry, type NotificationChannel } from "./channel";
import { createEmailChannel } from "./email";
import { createLogChannel } from "./log";

export function channelsFromEnv(e: Env): ChannelRegistry {
  const channels: NotificationChannel[] = [];
  if (e.HOLDFAST_SMTP_URL) channels.push(createEmailChannel({ smtpUrl: e.HOLDFAST_SMTP_URL, from: e.HOLDFAST_EMAIL_FROM }));
  else if (e.NODE_ENV !== "production" || e.HOLDFAST_DEMO) channels.push(createLogChannel("email"));
  return channelRegistry(channels);
}
