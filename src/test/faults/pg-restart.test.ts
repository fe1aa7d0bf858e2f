// Fault: PostgreSQL restarts under load (issue 10). A throwaway embedded
// PostgreSQL of this test's own; eight clients run racing lifecycles through
// the engine; the server is stopped (connections cut mid-transaction), kept
// down a moment, and started again while the clients keep going. Callers get
// clean errors while it is down, the pool recovers by itself, and afterwards
// no money is lost or doubled and no transition is half-written.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createParties, fund, testContext, UNCAPPED_POLICIES } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { createDb, type Db } from "~/server/db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "~/server/db/embedded";
import { createMigratedDatabase } from "~/server/db/migrate";
import { freePort } from "~/test/free-port";
import { checkDatabaseLedger } from "~/server/ledger/check";
import { checkEscrowConsistency } from "~/test/faults/consistency";
import { runLifecycle, type FaultParties } from "~/test/faults/lifecycle";

let dataDir: string;
let port: number;
let server: RunningPostgres;
let url: string;
let db: Db;

const start = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-pg-restart-"));
  port = await freePort();
  server = await start();
  url = await createMigratedDatabase(server.adminUrl, "holdfast_restart");
  db = createDb(url, { maxConnections: 16 });
});
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("PostgreSQL restarted under load", () => {
  it("clean errors while down, recovery after, no money lost or doubled, no half-written transition", async () => {
    const ctx = testContext(db, { now: () => new Date(), advanceSeconds() {}, set() {} }, 1000, UNCAPPED_POLICIES);
    const moderator = await createUser(db, "admin", "Mo Derator");
    const parties: FaultParties[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await createParties(db);
      await fund(ctx, p.customerId, 50_000_000);
      parties.push({ ...p, moderatorId: moderator.id });
    }

    let phase: "before" | "down" | "after" = "before";
    let stop = false;
    const outcomes = { before: { ok: 0, failed: 0 }, down: { ok: 0, failed: 0 }, after: { ok: 0, failed: 0 } };
    const unexpected: string[] = [];
    const client = async (n: number) => {
      while (!stop) {
        const at = phase;
        try {
          await runLifecycle(ctx, parties[n % parties.length]!);
          outcomes[at].ok++;
        } catch (error) {
          // A failure in a lifecycle that started before the outage counts as the outage's.
          outcomes[at === "after" && phase === "after" ? "after" : "down"].failed++;
          // A clean error: a thrown Error from the driver or Prisma, never a hang or a crash of the process.
          if (!(error instanceof Error)) unexpected.push(String(error));
          if (phase !== "down") await new Promise((r) => setTimeout(r, 20));
          else await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));

    const transitions = () => db.escrowEvent.count();
    // Generous, as in kill-engine.test.ts: on a loaded shared machine the clients may run ten times slower
    // than alone; the wait ends as soon as the count is reached.
    const waitForTransitions = async (n: number) => {
      const target = (await transitions()) + n;
      const deadline = Date.now() + 100_000;
      while ((await transitions()) < target) {
        if (Date.now() > deadline) throw new Error(`fewer than ${n} transitions in 100 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    await waitForTransitions(150);
    phase = "down";
    await server.stop(); // fast shutdown: open transactions are cut off and rolled back
    await new Promise((r) => setTimeout(r, 1_000));
    server = await start();
    // Let the clients fail over and come back; then count only what runs after recovery.
    await new Promise((r) => setTimeout(r, 500));
    phase = "after";
    const okBefore = outcomes.after.ok;
    await waitForTransitions(150);
    stop = true;
    await Promise.all(clients);

    expect(unexpected).toEqual([]);
    expect(outcomes.before.ok).toBeGreaterThan(0);
    expect(outcomes.down.failed).toBeGreaterThan(0); // the outage was felt…
    expect(outcomes.after.ok).toBeGreaterThan(okBefore); // …and the pool recovered without help
    expect(await checkDatabaseLedger(db)).toEqual([]);
    expect(await checkEscrowConsistency(db)).toEqual([]);
  }, 300_000);
});
