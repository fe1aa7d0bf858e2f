// Test helpers for the timer tests: an engine context with the review policy and due-soon lead the
// production configuration has (the shared fixtures leave them out so engine tests see fixed windows).
import { defaultReviewPolicy } from "~/domain/escrow/review-policy";
import type { TimeWindows } from "~/domain/escrow/decide";
import type { EngineContext } from "../context";
import type { Db } from "../db/client";
import { testContext, type TestClock } from "~/test/engine-fixtures";

export function timerTestContext(
  db: Db,
  clock: Pick<TestClock, "now">,
  windows?: Partial<TimeWindows>,
  options: { dueSoonLeadS?: number; feeBps?: number } = {},
): EngineContext {
  const base = testContext(db, clock as TestClock, options.feeBps ?? 1000);
  const merged = { ...base.config.windows, ...windows };
  return {
    ...base,
    config: {
      ...base.config,
      windows: merged,
      reviewPolicy: defaultReviewPolicy(merged.reviewWindowS),
      timers: { dueSoonLeadS: options.dueSoonLeadS ?? 6 * 3600 },
    },
  };
}

/** A clock that reads the real time (for the scheduler tests that run in real time). */
export const realClock = { now: () => new Date() };
