// Health and readiness over real HTTP (issue 21): readiness follows PostgreSQL down and back up (a
// throwaway embedded server of this file's own), pending or edited migrations, and the workers of
// the process; health answers without the database.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { freePort } from "~/test/free-port";
import { serveFetchHandler, type RunningServer } from "../agent-api/node-server";
import { createDb, type Db } from "../db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded";
import { createMigratedDatabase, readMigrations } from "../db/migrate";
import { pollingLoop } from "../jobs/polling-loop";
import { registerWorker, workersOfThisProcess } from "./heartbeats";
import { handleHealth, handleReady, type ReadinessOptions, type ReadinessReport } from "./readiness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serveProbes(options: () => ReadinessOptions): Promise<RunningServer> {
  return serveFetchHandler(async (request) =>
    new URL(request.url).pathname === "/api/health" ? handleHealth() : handleReady(options()),
  );
}

async function ready(server: RunningServer): Promise<{ status: number; body: ReadinessReport }> {
  const res = await fetch(`${server.url}/api/ready`);
  return { status: res.status, body: (await res.json()) as ReadinessReport };
}

describe("readiness while PostgreSQL stops and returns", () => {
  let dataDir: string;
  let port: number;
  let pg: RunningPostgres;
  let db: Db;
  let http: RunningServer;
  const start = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-ready-"));
    port = await freePort();
    pg = await start();
    db = createDb(await createMigratedDatabase(pg.adminUrl, "holdfast_ready"));
    // The client's first query also starts it up (connects, loads its query compiler): done here, so the
    // "while up" probe's 1 s database timeout measures a query, not a loaded machine's start-up.
    await db.$queryRaw`SELECT 1`;
    http = await serveProbes(() => ({ db, databaseTimeoutMs: 1_000 }));
  }, 120_000);
  afterAll(async () => {
    await http?.close();
    await db?.$disconnect();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("200 while up, 503 with the database failing while down (health still 200), 200 again after", async () => {
    const up = await ready(http);
    expect(up.status).toBe(200);
    expect(up.body.status).toBe("ready");
    expect(up.body.checks.database.state).toBe("ok");
    expect(up.body.checks.migrations).toMatchObject({ state: "ok", pending: [], edited: [] });

    await pg.stop();
    const askedAt = Date.now();
    const down = await ready(http);
    expect(Date.now() - askedAt).toBeLessThan(5_000); // the probe answers; it does not hang with the database
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("not_ready");
    expect(down.body.checks.database.state).toBe("failing");
    expect(down.body.checks.migrations.state).toBe("unknown");
    const health = await fetch(`${http.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    pg = await start();
    const deadline = Date.now() + 30_000;
    let back = await ready(http);
    while (back.status !== 200 && Date.now() < deadline) {
      await sleep(200);
      back = await ready(http);
    }
    expect(back.status).toBe(200);
    expect(back.body.checks.database.state).toBe("ok");
  }, 90_000);
});

/** The end of the worker's last round, as readiness reads it. */
function beatAt(worker: string): Date {
  const beat = workersOfThisProcess().find((w) => w.worker === worker)?.beatAt;
  if (!beat) throw new Error(`${worker} has not beaten`);
  return beat;
}

const after = (at: Date, ms: number) => new Date(at.getTime() + ms);

describe("readiness: migrations and workers", () => {
  const t = databaseForThisFile();
  let http: RunningServer;
  let expectedWorkers: string[] = [];
  // The instant readiness judges the workers at (unset: the real now). The worker windows are asserted at
  // instants relative to the beats, never by how long a request took: on a loaded machine a readiness
  // request alone can take a second, and "ok right after a beat" must not depend on it.
  let now: Date | undefined;
  beforeAll(async () => {
    http = await serveProbes(() => ({ db: t.db, expectedWorkers, now }));
  });
  afterAll(() => http?.close());

  it("503 while a migration of this build is not applied or was edited after it was applied", async () => {
    const last = readMigrations().at(-1)!;
    expect((await ready(http)).status).toBe(200);

    await t.db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${last.name}`;
    const pending = await ready(http);
    expect(pending.status).toBe(503);
    expect(pending.body.checks.migrations).toMatchObject({ state: "failing", pending: [last.name] });
    expect(pending.body.checks.database.state).toBe("ok");

    await t.db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL, checksum = ${"0".repeat(64)} WHERE migration_name = ${last.name}`;
    const edited = await ready(http);
    expect(edited.status).toBe(503);
    expect(edited.body.checks.migrations).toMatchObject({ state: "failing", pending: [], edited: [last.name] });

    await t.db.$executeRaw`UPDATE "_prisma_migrations" SET checksum = ${last.checksum} WHERE migration_name = ${last.name}`;
    expect((await ready(http)).status).toBe(200);
  });

  it("503 while a worker this process should run is missing, and while one's last round is old", async () => {
    expectedWorkers = ["notifications"];
    const missing = await ready(http);
    expect(missing.status).toBe(503);
    expect(missing.body.checks.workers.workers).toContainEqual({ worker: "notifications", state: "missing" });

    const beat = registerWorker("notifications", { db: t.db, staleAfterMs: 3_000 });
    try {
      beat.beat();
      const first = beatAt("notifications");
      now = after(first, 3_000); // at the limit: still on time
      expect((await ready(http)).status).toBe(200);

      now = after(first, 3_001); // no round since: the loop is stuck
      const late = await ready(http);
      expect(late.status).toBe(503);
      expect(late.body.checks.workers.workers).toContainEqual(expect.objectContaining({ worker: "notifications", state: "late" }));

      // A round a second later (or more: the machine may be slow) is on time again at that same instant.
      await sleep(1_000);
      beat.beat();
      expect((await ready(http)).status).toBe(200);
      now = undefined;
      beat.stop();
      expect((await ready(http)).status).toBe(503); // stopped, yet expected
    } finally {
      now = undefined;
      expectedWorkers = [];
      beat.stop();
    }
  });

  it("a real loop whose round hangs turns readiness to 503", async () => {
    let rounds = 0;
    pollingLoop(
      "hanging loop",
      async () => {
        if (++rounds > 1) await new Promise(() => undefined);
        return 0;
      },
      { everyMs: 10, staleAfterMs: 3_000, log: () => undefined },
    );
    // Its first round ended (and beat); the second has begun and never ends.
    const deadline = Date.now() + 30_000;
    while (rounds < 2 && Date.now() < deadline) await sleep(10);
    expect(rounds).toBe(2);
    const last = beatAt("hanging loop");
    try {
      now = after(last, 3_000);
      expect((await ready(http)).status).toBe(200);
      now = after(last, 3_001);
      const r = await ready(http);
      expect(r.status).toBe(503);
      expect(r.body.checks.workers.workers).toContainEqual(expect.objectContaining({ worker: "hanging loop", state: "late" }));
    } finally {
      now = undefined;
    }
    // The real clock reaches the same verdict once the limit has passed: the hung round never beats again.
    await sleep(Math.max(0, last.getTime() + 3_100 - Date.now()));
    expect(beatAt("hanging loop")).toEqual(last);
    expect((await ready(http)).status).toBe(503);
  });
});
