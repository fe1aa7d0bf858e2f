// Worker heartbeats (issue 21): the background workers of a process report each round, in memory for
// readiness and to `worker_heartbeats` per process for the operations page; a worker whose loop stops
// turning is late.
import { afterAll, describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { engineConfigFromEnv } from "../config";
import { pollingLoop } from "../jobs/polling-loop";
import { startBackgroundWorkers, type Worker } from "../jobs/workers";
import { startWebhookWorker } from "../webhooks/relay";
import { checkWorkers, listWorkerHeartbeats, processIdentity, registerWorker, workersOfThisProcess } from "./heartbeats";

const t = databaseForThisFile();
const running: Worker[] = [];
let stopWebhooks: (() => void) | null = null;
afterAll(async () => {
  stopWebhooks?.();
  await Promise.all(running.map((w) => w.stop()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until ok (generous deadline: a loaded CI machine is many times slower); returns the last value read. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(50);
  }
}

describe("worker heartbeats", () => {
  it("every background worker of the process reports, in memory and as a row of this process", async () => {
    process.env.DATABASE_URL = t.url; // the webhook relay uses the process-wide client
    running.push(...startBackgroundWorkers({ db: t.db, now: () => new Date(), config: engineConfigFromEnv() }));
    stopWebhooks = startWebhookWorker(50);
    const names = ["scheduler", "notifications", "payout holds", "idempotency sweep", "ledger check", "webhooks"];

    // Each has finished a round (a beat, not just its registration).
    await until(async () => checkWorkers(), () => names.every((n) => beatOf(n) !== null));
    for (const n of names) expect(beatOf(n), n).not.toBeNull();
    const checks = checkWorkers();
    expect(checks.map((c) => c.worker).sort()).toEqual([...names].sort());
    expect(checks.every((c) => c.state === "ok")).toBe(true);

    const { processId, pid } = processIdentity();
    const rows = await until(() => listWorkerHeartbeats(t.db), (r) => r.length >= names.length);
    const mine = rows.filter((r) => r.processId === processId);
    expect(mine.map((r) => r.worker).sort()).toEqual([...names].sort());
    for (const r of mine) {
      expect(r.pid).toBe(pid);
      expect(r.beatAt.getTime()).toBeGreaterThanOrEqual(r.startedAt.getTime());
    }
  });

  it("another process's rows sit beside this one's, one row per (process, worker)", async () => {
    const now = new Date();
    await t.db.workerHeartbeat.create({
      data: { processId: "other-host:7:abcd", worker: "scheduler", host: "other-host", pid: 7, startedAt: now, beatAt: now },
    });
    const rows = await listWorkerHeartbeats(t.db);
    const processes = new Set(rows.map((r) => r.processId));
    expect(processes.has("other-host:7:abcd")).toBe(true);
    expect(processes.has(processIdentity().processId)).toBe(true);
    const keys = rows.map((r) => `${r.processId}/${r.worker}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("the persisted beat moves on as the loop keeps turning (at most every few seconds)", async () => {
    const { processId } = processIdentity();
    const first = await t.db.workerHeartbeat.findUniqueOrThrow({ where: { processId_worker: { processId, worker: "webhooks" } } });
    const later = await until(
      () => t.db.workerHeartbeat.findUniqueOrThrow({ where: { processId_worker: { processId, worker: "webhooks" } } }),
      (r) => r.beatAt > first.beatAt,
      30_000, // a write at most every PERSIST_EVERY_MS (5 s), after a round that may itself be slow
    );
    expect(later.beatAt.getTime()).toBeGreaterThan(first.beatAt.getTime());
  }, 45_000);

  it("a loop that stops turning is late once its last round is older than its limit", async () => {
    let rounds = 0;
    const hung = pollingLoop(
      "stuck worker",
      async () => {
        rounds++;
        if (rounds > 1) await new Promise(() => undefined); // the second round never ends
        return 0;
      },
      { everyMs: 20, staleAfterMs: 300, log: () => undefined },
    );
    await until(async () => rounds, (r) => r >= 2);
    expect(rounds).toBe(2);
    // Judged at instants relative to its last beat: asking "right now" with 300 ms to spare would depend
    // on how late a loaded machine wakes this test.
    const last = beatOf("stuck worker")!;
    expect(last).not.toBeNull();
    const at = (ms: number) => checkWorkers(new Date(last.getTime() + ms)).find((c) => c.worker === "stuck worker");
    expect(at(300)?.state).toBe("ok");
    expect(at(301)?.state).toBe("late");
    await sleep(450);
    const check = checkWorkers().find((c) => c.worker === "stuck worker");
    expect(beatOf("stuck worker")).toEqual(last); // the hung round never beat again
    expect(check?.state).toBe("late");
    expect(check?.lastBeatAgeS).toBeGreaterThanOrEqual(0.3);
    void hung; // never stopped: its loop is hung on purpose
  });

  it("a stopped worker no longer counts; a newer one of the same name survives the old one's stop", () => {
    const old = registerWorker("replaced", { db: null });
    const fresh = registerWorker("replaced", { db: null });
    old.stop();
    expect(checkWorkers().some((c) => c.worker === "replaced")).toBe(true);
    fresh.stop();
    expect(checkWorkers().some((c) => c.worker === "replaced")).toBe(false);
  });
});

function beatOf(worker: string): Date | null {
  return workersOfThisProcess().find((w) => w.worker === worker)?.beatAt ?? null;
}
