// A channel that stands in for a named channel ("email") when no real one is configured (development
// and demo), so the rest of the system is unchanged. In demo mode (and tests that pass `write`) the
// whole notification is printed for the person at the terminal; otherwise only that it was written,
// by id — notification texts carry message texts and links, which never go to the log (issue 21).
import { log } from "../log";
import type { NotificationChannel } from "./channel";

export function createLogChannel(name: string, write?: (line: string) => void): NotificationChannel {
  return {
    name,
    async send(message) {
      if (write) write(`[holdfast] ${name} to ${message.address}: ${message.subject}\n${message.body}`);
      else log().info({ channel: name, notificationId: message.notificationId }, "notification written to the log channel (text withheld outside demo mode)");
      return {};
    },
  };
}
