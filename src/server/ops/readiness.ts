// Health and readiness (issue 21). /api/health says the process is up and answers (no database:
// a load balancer must not restart every process because PostgreSQL blinked). /api/ready says this
// process can do its work: the database answers within a short timeout, every migration in
// prisma/migrations is applied (a process newer than its schema would fail on first use), and each
// background worker of this process finished a round recently (src/server/ops/heartbeats.ts).
// Public by design (probes carry no token): the answer names checks and states, never error texts.
import type { Db } from "../db/client";
import { readMigrations, type MigrationFile } from "../db/migrate";
import { checkWorkers, type WorkerCheck } from "./heartbeats";

export const DEFAULT_DATABASE_TIMEOUT_MS = 2_000;

export type CheckState = "ok" | "failing";

export interface ReadinessReport {
  status: "ready" | "not_ready";
  checks: {
    database: { state: CheckState; latencyMs: number | null; reason?: "timeout" | "error" };
    migrations: { state: CheckState | "unknown"; applied: number; expected: number; pending: string[]; edited: string[] };
    workers: { state: CheckState; workers: (WorkerCheck | { worker: string; state: "missing" })[] };
  };
}

export interface ReadinessOptions {
  db: Db;
  databaseTimeoutMs?: number;
  /** The migrations this build expects (default: prisma/migrations, read once per process). */
  migrations?: readonly Pick<MigrationFile, "name" | "checksum">[];
  /** Workers this process is configured to run; one not running (never started, or stopped) fails readiness. */
  expectedWorkers?: readonly string[];
  now?: Date;
}

let migrationFiles: MigrationFile[] | null = null;
function expectedMigrations(): MigrationFile[] {
  migrationFiles ??= readMigrations();
  return migrationFiles;
}

class Timeout extends Error {}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(options: ReadinessOptions): Promise<ReadinessReport> {
  const timeoutMs = options.databaseTimeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  const files = options.migrations ?? expectedMigrations();

  // One round trip answers both "does the database answer" and "which migrations are applied".
  const started = performance.now();
  let database: ReadinessReport["checks"]["database"];
  let applied: Map<string, string> | null = null;
  try {
    const rows = await within(
      timeoutMs,
      options.db.$queryRaw<{ migration_name: string; checksum: string }[]>`
        SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    database = { state: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    database = { state: "failing", latencyMs: null, reason: error instanceof Timeout ? "timeout" : "error" };
  }

  let migrations: ReadinessReport["checks"]["migrations"];
  if (!applied) {
    migrations = { state: "unknown", applied: 0, expected: files.length, pending: [], edited: [] };
  } else {
    const pending = files.filter((f) => !applied.has(f.name)).map((f) => f.name);
    const edited = files.filter((f) => applied.has(f.name) && applied.get(f.name) !== f.checksum).map((f) => f.name);
    migrations = {
      state: pending.length || edited.length ? "failing" : "ok",
      applied: files.length - pending.length,
      expected: files.length,
      pending,
      edited,
    };
  }

  const running = checkWorkers(options.now);
  const missing = (options.expectedWorkers ?? [])
    .filter((name) => !running.some((w) => w.worker === name))
    .map((worker) => ({ worker, state: "missing" as const }));
  const workerList = [...running, ...missing];
  const workers: ReadinessReport["checks"]["workers"] = {
    state: workerList.every((w) => w.state === "ok") ? "ok" : "failing",
    workers: workerList,
  };

  const ready = database.state === "ok" && migrations.state === "ok" && workers.state === "ok";
  return { status: ready ? "ready" : "not_ready", checks: { database, migrations, workers } };
}

const NO_STORE = { "cache-control": "no-store" };

/** GET /api/ready: 200 with the report when ready, 503 with it when not. */
export async function handleReady(options: ReadinessOptions): Promise<Response> {
  const report = await checkReadiness(options);
  return Response.json(report, { status: report.status === "ready" ? 200 : 503, headers: NO_STORE });
}

const startedAt = new Date();

/** GET /api/health: the process is up; no database, no I/O. */
export function handleHealth(): Response {
  return Response.json(
    { status: "ok", uptimeS: Math.round((Date.now() - startedAt.getTime()) / 1000) },
    { headers: NO_STORE },
  );
}
