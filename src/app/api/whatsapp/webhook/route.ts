// WhatsApp Cloud API webhook (GET handshake, signed POSTs): a thin shell over src/server/inbound/whatsapp.ts.
import { env } from "~/env";
import { defaultEngineContext } from "~/server/context";
import { handleWhatsAppWebhook } from "~/server/inbound/whatsapp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = (request: Request) =>
  handleWhatsAppWebhook(request, defaultEngineContext(), {
    appSecret: env().HOLDFAST_WHATSAPP_APP_SECRET,
    verifyToken: env().HOLDFAST_WHATSAPP_VERIFY_TOKEN,
  });

export { handle as GET, handle as POST };
