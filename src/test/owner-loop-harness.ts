// The agent API harness plus the inbound webhooks (Telegram, WhatsApp) on their own real HTTP port.
import type { TestClock } from "~/test/engine-fixtures";
import { startHarness, type Harness } from "~/test/agent-api-harness";
import { serveFetchHandler } from "~/server/agent-api/node-server";
import type { Db } from "~/server/db/client";
import { handleTelegramWebhook } from "~/server/inbound/telegram";
import { handleWhatsAppWebhook } from "~/server/inbound/whatsapp";

export interface OwnerLoopHarness {
  api: Harness;
  db: Db;
  /** POST {inboundUrl}/telegram, GET|POST {inboundUrl}/whatsapp */
  inboundUrl: string;
  close(): Promise<void>;
}

export async function createHarness(
  clock: TestClock,
  secrets: { telegramSecret: string; whatsappSecret: string; whatsappVerifyToken: string },
): Promise<OwnerLoopHarness> {
  const api = await startHarness({}, clock);
  const ctx = api.deps.engine;
  const inbound = await serveFetchHandler((request) =>
    new URL(request.url).pathname.startsWith("/telegram")
      ? handleTelegramWebhook(request, ctx, { secretToken: secrets.telegramSecret })
      : handleWhatsAppWebhook(request, ctx, { appSecret: secrets.whatsappSecret, verifyToken: secrets.whatsappVerifyToken }),
  );
  return {
    api,
    db: api.tdb.db,
    inboundUrl: inbound.url,
    async close() {
      await inbound.close();
      await api.close();
    },
  };
}
