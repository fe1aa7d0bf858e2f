// Inngest calls this route to run Holdfast's timer functions (HOLDFAST_TIMERS=inngest). Requests are
// verified with INNGEST_SIGNING_KEY by the SDK. When this server runs its timers itself (embedded),
// nobody should call here: the route says so with 503 instead of the SDK's 500 (issue 16). The SDK
// reads the body itself, so it is first read under a cap and handed on in memory.
import { serve } from "inngest/next";
import { NextRequest } from "next/server";
import { env } from "~/env";
import { timerEngine } from "~/server/config";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";
import { inngest } from "~/server/jobs/inngest/client";
import { timerFunctions } from "~/server/jobs/inngest/functions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Handler = (request: Request, context: unknown) => Promise<Response>;

let served: Record<"GET" | "POST" | "PUT", Handler> | null = null;

function inngestHandlers() {
  served ??= serve({
    client: inngest,
    functions: [timerFunctions.escrowTimers, timerFunctions.timerBackstop],
  }) as unknown as Record<"GET" | "POST" | "PUT", Handler>;
  return served;
}

/** Inngest runs the timers and the SDK can verify its calls (a signing key, or the local dev server). */
function inngestConfigured(): boolean {
  return timerEngine() === "inngest" && (env().INNGEST_SIGNING_KEY !== undefined || process.env.INNGEST_DEV !== undefined);
}

function notConfigured(): Response {
  return Response.json(
    {
      error: {
        code: "not_configured",
        message: "Inngest is not this server's timer engine (HOLDFAST_TIMERS=inngest with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY turns it on).",
      },
    },
    { status: 503, headers: { "cache-control": "no-store" } },
  );
}

function handle(method: "GET" | "POST" | "PUT"): Handler {
  return async (incoming, context) => {
    if (!inngestConfigured()) return notConfigured();
    const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.inngest);
    if (capped instanceof Response) return capped;
    // The SDK expects Next's request type: a NextRequest over the bytes already read (GET passes as it came).
    return inngestHandlers()[method](capped.request === incoming ? incoming : new NextRequest(capped.request), context);
  };
}

export const GET = handle("GET");
export const POST = handle("POST");
export const PUT = handle("PUT");
