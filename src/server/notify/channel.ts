// One interface for every way Holdfast reaches a person (Medusa's notification providers): email
// now, Telegram and WhatsApp later. A channel only sends; recording, retrying and the delivery log
// are the relay's (relay.ts), so a new channel is one small file.

export interface OutgoingNotification {
  /** Where to: an email address, a chat id, a phone number — whatever the channel understands. */
  address: string;
  subject: string;
  /** Plain text; channels that support markup may format it. */
  body: string;
  /** Stable id of the notification, for providers that deduplicate (e.g. Message-ID). */
  notificationId: string;
}

export interface SendReceipt {
  /** The provider's id for the message, when it gives one. */
  providerMessageId?: string;
}

export interface NotificationChannel {
  /** The name notifications are addressed to: "email", "telegram", "whatsapp", … */
  readonly name: string;
  /** Sends or throws; a throw is recorded and retried with backoff. */
  send(message: OutgoingNotification): Promise<SendReceipt>;
}

export type ChannelRegistry = ReadonlyMap<string, NotificationChannel>;

export function channelRegistry(channels: NotificationChannel[]): ChannelRegistry {
  return new Map(channels.map((c) => [c.name, c]));
}
