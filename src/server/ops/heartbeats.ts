// Worker heartbeats: every background loop of a server process (timer scheduler or Inngest relay,
// notification relay, payout holds, idempotency sweep, webhook relay) registers here and beats after
// each round. In memory they answer readiness (/api/ready: is each worker of this process still
// looping?); persisted per process to `worker_heartbeats` — at most every PERSIST_EVERY_MS per worker,
// so a busy loop costs no write per round — they show every process's workers on the operations page.
// The state lives on globalThis: Next loads the startup hook (which starts the workers) and the route
// handlers (which read readiness) as separate module graphs of one process.
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Db } from "../db/client";

/** A worker's row is written at most this often. */
export const PERSIST_EVERY_MS = 5_000;
/** Rows of processes silent this long are deleted when a worker starts (a restarted fleet leaves no clutter). */
const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;
/** A worker is late when its last round ended longer ago than this, unless it says otherwise. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

export interface HeartbeatOptions {
  /** Where to persist the beats; null = in memory only (readiness still sees them). */
  db: Db | null;
  /** Late after this long without a beat (default: 3 × everyMs, at least a minute). */
  staleAfterMs?: number;
  /** The loop's sleep between idle rounds, for the default staleAfterMs. */
  everyMs?: number;
}

export interface Heartbeat {
  /** The loop finished a round (or made progress inside a long one). */
  beat(): void;
  /** The loop stopped on purpose: it no longer counts for readiness. */
  stop(): void;
}

export interface WorkerState {
  worker: string;
  startedAt: Date;
  /** End of the last round; null before the first one. */
  beatAt: Date | null;
  staleAfterMs: number;
}

interface Registration extends WorkerState {
  db: Db | null;
  persistedAt: number;
  writing: boolean;
}

interface ProcessState {
  processId: string;
  host: string;
  pid: number;
  workers: Map<string, Registration>;
}

const globalForBeats = globalThis as unknown as { holdfastHeartbeats?: ProcessState };

function processState(): ProcessState {
  globalForBeats.holdfastHeartbeats ??= {
    // Host and pid name the process for people; the random part keeps a restarted pid (containers
    // restart as pid 1) from overwriting the dead process's rows.
    processId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    host: os.hostname(),
    pid: process.pid,
    workers: new Map(),
  };
  return globalForBeats.holdfastHeartbeats;
}

/** This process as it appears in `worker_heartbeats`. */
export function processIdentity(): { processId: string; host: string; pid: number } {
  const s = processState();
  return { processId: s.processId, host: s.host, pid: s.pid };
}

export function staleAfterMsFor(options: { staleAfterMs?: number; everyMs?: number }): number {
  return options.staleAfterMs ?? Math.max(DEFAULT_STALE_AFTER_MS, 3 * (options.everyMs ?? 0));
}

/** Registers a background loop of this process; call `beat()` after each round. */
export function registerWorker(worker: string, options: HeartbeatOptions): Heartbeat {
  const s = processState();
  const reg: Registration = {
    worker,
    startedAt: new Date(),
    beatAt: null,
    staleAfterMs: staleAfterMsFor(options),
    db: options.db,
    persistedAt: 0,
    writing: false,
  };
  s.workers.set(worker, reg);
  if (reg.db) {
    persist(s, reg);
    void reg.db.workerHeartbeat
      .deleteMany({ where: { beatAt: { lt: new Date(Date.now() - PRUNE_AFTER_MS) } } })
      .catch(() => undefined);
  }
  return {
    beat() {
      reg.beatAt = new Date();
      if (reg.db && Date.now() - reg.persistedAt >= PERSIST_EVERY_MS) persist(s, reg);
    },
    stop() {
      // A newer registration of the same name (a restarted worker) stays.
      if (s.workers.get(worker) === reg) s.workers.delete(worker);
    },
  };
}

/** Upserts the worker's row; a failed write (database down) is retried at the next beat. */
function persist(s: ProcessState, reg: Registration): void {
  if (!reg.db || reg.writing) return;
  reg.writing = true;
  const attemptAt = Date.now();
  const beatAt = reg.beatAt ?? reg.startedAt;
  const row = { host: s.host, pid: s.pid, startedAt: reg.startedAt, beatAt };
  reg.db.workerHeartbeat
    .upsert({
      where: { processId_worker: { processId: s.processId, worker: reg.worker } },
      create: { processId: s.processId, worker: reg.worker, ...row },
      update: row,
    })
    .then(
      () => {
        reg.persistedAt = attemptAt;
      },
      () => undefined,
    )
    .finally(() => {
      reg.writing = false;
    });
}

/** The workers of this process, as readiness sees them. */
export function workersOfThisProcess(): WorkerState[] {
  return [...processState().workers.values()].map(({ worker, startedAt, beatAt, staleAfterMs }) => ({
    worker,
    startedAt,
    beatAt,
    staleAfterMs,
  }));
}

export interface WorkerCheck {
  worker: string;
  state: "ok" | "late";
  /** Seconds since its last round ended (since it started, before the first). */
  lastBeatAgeS: number;
  staleAfterS: number;
}

/** Each worker of this process with whether its last round is recent enough. */
export function checkWorkers(now: Date = new Date()): WorkerCheck[] {
  return workersOfThisProcess().map((w) => {
    const ageMs = now.getTime() - (w.beatAt ?? w.startedAt).getTime();
    return {
      worker: w.worker,
      state: ageMs > w.staleAfterMs ? "late" : "ok",
      lastBeatAgeS: Math.max(0, Math.round(ageMs / 100) / 10),
      staleAfterS: w.staleAfterMs / 1000,
    };
  });
}

export interface WorkerHeartbeatRow {
  processId: string;
  worker: string;
  host: string;
  pid: number;
  startedAt: Date;
  beatAt: Date;
}

/** Every process's workers with their last persisted beat, newest process first (for the operations page). */
export async function listWorkerHeartbeats(db: Db): Promise<WorkerHeartbeatRow[]> {
  return db.workerHeartbeat.findMany({
    orderBy: [{ startedAt: "desc" }, { processId: "asc" }, { worker: "asc" }],
    select: { processId: true, worker: true, host: true, pid: true, startedAt: true, beatAt: true },
  });
}
