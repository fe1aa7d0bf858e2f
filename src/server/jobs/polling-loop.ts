// A background loop over the database: do a round of work; sleep when there was nothing to do.
// Each round is a job run with its log line and span (observe-job.ts).
import { countSummary, observeJob } from "./observe-job";

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  everyMs: number;
  /** Kept for callers; a failed round is logged by observeJob (error level, with its stack). */
  log?: (line: string) => void;
}

/** Runs `work` repeatedly; sleeps `everyMs` after a round that did nothing or failed. */
export function pollingLoop(name: string, work: () => Promise<number>, options: PollingLoopOptions): Worker {
  let stopped = false;
  let cancelSleep: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let done = 0;
      try {
        done = await observeJob(name, { summary: countSummary }, work);
      } catch {
        // observeJob logged it; sleep, then try again.
      }
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
      cancelSleep?.();
      await loop;
    },
  };
}
