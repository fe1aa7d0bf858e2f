// Inngest calls this route to run Holdfast's timer functions (HOLDFAST_TIMERS=inngest). Requests are
// verified with INNGEST_SIGNING_KEY by the SDK.
import { serve } from "inngest/next";
import { inngest } from "~/server/jobs/inngest/client";
import { timerFunctions } from "~/server/jobs/inngest/functions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({
  client: inngest,
  functions: [timerFunctions.escrowTimers, timerFunctions.timerBackstop],
});
