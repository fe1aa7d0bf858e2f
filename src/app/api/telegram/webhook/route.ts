// Telegram's webhook for the owner bot: a thin shell over src/server/inbound/telegram.ts.
import { env } from "~/env";
import { defaultEngineContext } from "~/server/context";
import { handleTelegramWebhook } from "~/server/inbound/telegram";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleTelegramWebhook(request, defaultEngineContext(), { secretToken: env().HOLDFAST_TELEGRAM_WEBHOOK_SECRET });
}
