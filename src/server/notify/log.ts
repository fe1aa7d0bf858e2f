// A channel that writes notifications to the server log (development and demo, when no real channel
// is configured). It stands in for a named channel ("email") so the rest of the system is unchanged.
import type { NotificationChannel } from "./channel";

export function createLogChannel(name: string, write: (line: string) => void = console.log): NotificationChannel {
  return {
    name,
    async send(message) {
      write(`[holdfast] ${name} to ${message.address}: ${message.subject}\n${message.body}`);
      return {};
    },
  };
}
