// Inngest functions (served at /api/inngest). Inngest only decides *when* to knock; what happens is
// the timer contract (fire-timer.ts): the firing re-reads the escrow and acts only at the planned
// version and past the deadline, so Inngest's at-least-once delivery, retries and late runs are safe.
//
//   escrow-timers   on holdfast/escrow.changed: for each timer the new version planned, sleep until
//                   its time, then fire it. Cancelled by the next escrow.changed of the same escrow.
//   timer-backstop  every 5 minutes: re-plan deadlines missing a timer and fire timers Inngest missed.
import type { Inngest } from "inngest";
import { defaultEngineContext, type EngineContext } from "../../context";
import { runBackstop } from "../backstop";
import { fireTimerById, type FireOutcome } from "../fire-timer";
import { ESCROW_CHANGED_EVENT, inngest as defaultClient, type EscrowChangedData } from "./client";

export interface PlannedTimerRef {
  id: string;
  kind: string;
  fireAt: string;
}

/** The timers an escrow version planned and that have not fired yet, soonest first. */
export async function plannedTimers(ctx: EngineContext, escrowId: string, version: number): Promise<PlannedTimerRef[]> {
  const rows = await ctx.db.escrowTimer.findMany({
    where: { escrowId, escrowVersion: version, status: "scheduled" },
    orderBy: [{ fireAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, fireAt: true },
  });
  return rows.map((r) => ({ id: r.id.toString(), kind: r.kind, fireAt: r.fireAt.toISOString() }));
}

/** Step results are JSON: bigint ids become strings. */
function serializable(outcome: FireOutcome) {
  return { ...outcome, ...("timerId" in outcome ? { timerId: outcome.timerId.toString() } : {}) };
}

export function createTimerFunctions(client: Inngest.Any = defaultClient, engine: () => EngineContext = defaultEngineContext) {
  const escrowTimers = client.createFunction(
    {
      id: "escrow-timers",
      name: "Escrow timers: sleep until each planned time, then fire",
      triggers: [{ event: ESCROW_CHANGED_EVENT }],
      // The escrow moved on: its timers are stale anyway; stop sleeping on them.
      cancelOn: [{ event: ESCROW_CHANGED_EVENT, if: "async.data.escrow_id == event.data.escrow_id && async.data.version > event.data.version" }],
      retries: 10,
    },
    async ({ event, step }) => {
      const data = event.data as EscrowChangedData;
      const timers = await step.run("load-timers", () => plannedTimers(engine(), data.escrow_id, data.version));
      const fired: ReturnType<typeof serializable>[] = [];
      for (const timer of timers) {
        await step.sleepUntil(`sleep-until-${timer.id}`, new Date(timer.fireAt));
        const outcome = await step.run(`fire-${timer.id}`, async () => serializable(await fireTimerById(engine(), timer.id)));
        fired.push(outcome);
        // A stale firing means the escrow changed: its later timers are stale too.
        if (outcome.result === "stale") break;
      }
      return { escrow_id: data.escrow_id, version: data.version, fired };
    },
  );

  const timerBackstop = client.createFunction(
    { id: "timer-backstop", name: "Timer backstop: re-plan and fire missed timers", triggers: [{ cron: "*/5 * * * *" }] },
    async ({ step }) => step.run("backstop", () => runBackstop(engine(), { marginS: 60, limit: 1000 })),
  );

  return { escrowTimers, timerBackstop };
}

export const timerFunctions = createTimerFunctions();
