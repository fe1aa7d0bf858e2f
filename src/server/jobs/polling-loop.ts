// A background loop over the database: do a round of work; sleep when there was nothing to do.

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  everyMs: number;
  log: (line: string) => void;
}

/** Runs `work` repeatedly; sleeps `everyMs` after a round that did nothing or failed. */
export function pollingLoop(name: string, work: () => Promise<number>, options: PollingLoopOptions): Worker {
  let stopped = false;
  let cancelSleep: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let done = 0;
      try {
        done = await work();
      } catch (error) {
        options.log(`${name}: ${error instanceof Error ? error.message : String(error)}`);
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
