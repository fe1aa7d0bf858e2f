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
import { registerWorker } from "./heartbeats";
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

describe("readiness: migrations and workers", () => {
  const t = databaseForThisFile();
  let http: RunningServer;
  let expectedWorkers: string[] = [];
  beforeAll(async () => {
    http = await serveProbes(() => ({ db: t.db, expectedWorkers }));
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

    const beat = registerWorker("notifications", { db: t.db, staleAfterMs: 400 });
    beat.beat();
    expect((await ready(http)).status).toBe(200);

    await sleep(600); // no round since: the loop is stuck
    const late = await ready(http);
    expect(late.status).toBe(503);
    expect(late.body.checks.workers.workers).toContainEqual(expect.objectContaining({ worker: "notifications", state: "late" }));

    beat.beat();
    expect((await ready(http)).status).toBe(200);
    beat.stop();
    expect((await ready(http)).status).toBe(503); // stopped, yet expected
    expectedWorkers = [];
  });

  it("a real loop whose round hangs turns readiness to 503", async () => {
    let rounds = 0;
    pollingLoop(
      "hanging loop",
      async () => {
        if (++rounds > 1) await new Promise(() => undefined);
        return 0;
      },
      { everyMs: 10, staleAfterMs: 300, log: () => undefined },
    );
    expect((await ready(http)).status).toBe(200);
    await sleep(500);
    const r = await ready(http);
    expect(r.status).toBe(503);
    expect(r.body.checks.workers.workers).toContainEqual(expect.objectContaining({ worker: "hanging loop", state: "late" }));
  });
});
