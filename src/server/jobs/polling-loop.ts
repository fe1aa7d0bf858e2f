// A background loop over the database: do a round of work; sleep when there was nothing to do.
// Each round is a job run with its log line and span (observe-job.ts), and ends with a heartbeat
// (src/server/ops/heartbeats.ts), failed rounds too: readiness asks whether the loop still turns;
// whether the database answers is its own check.
import type { Db } from "../db/client";
import { registerWorker } from "../ops/heartbeats";
import { countSummary, observeJob } from "./observe-job";

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  everyMs: number;
  /** Kept for callers; a failed round is logged by observeJob (error level, with its stack). */
  log?: (line: string) => void;
  /** Where the heartbeat is persisted (null/unset: in memory only). */
  db?: Db | null;
  /** Late for readiness after this long without a finished round (default: 3 × everyMs, at least a minute). */
  staleAfterMs?: number;
}

/** Runs `work` repeatedly; sleeps `everyMs` after a round that did nothing or failed. */
export function pollingLoop(name: string, work: () => Promise<number>, options: PollingLoopOptions): Worker {
  let stopped = false;
  let cancelSleep: (() => void) | null = null;
  const heartbeat = registerWorker(name, { db: options.db ?? null, everyMs: options.everyMs, staleAfterMs: options.staleAfterMs });
  const loop = (async () => {
    while (!stopped) {
      let done = 0;
      try {
        done = await observeJob(name, { summary: countSummary }, work);
      } catch {
        // observeJob logged it; sleep, then try again.
      }
      heartbeat.beat();
      if (done === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, options.everyMs);
          cancelSleep = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
  })();
  return {
    name,
    async stop() {
      stopped = true;
      heartbeat.stop();
      cancelSleep?.();
      await loop;
    },
  };
}
