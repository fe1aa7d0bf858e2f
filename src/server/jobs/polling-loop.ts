// A background loop over the database: do a round of work; sleep when there was nothing to do.
// Each round ends with a heartbeat (src/server/ops/heartbeats.ts), failed rounds too: readiness asks
// whether the loop still turns; whether the database answers is its own check.
import type { Db } from "../db/client";
import { registerWorker } from "../ops/heartbeats";

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  everyMs: number;
  log: (line: string) => void;
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
        done = await work();
      } catch (error) {
        options.log(`${name}: ${error instanceof Error ? error.message : String(error)}`);
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
