// A background job run's log line and span (issue 21): timer firings, outbox and webhook relay
// batches, notification sends, webhook attempts, payout-hold release, sweeps. A run that did work
// logs at info, an idle poll at debug (a loop polling every half second must not flood the log),
// a failure at error. The span is a root (a job started from inside a request is not part of it);
// `requestId` carries the id of the request that caused the work (an outbox row's) into its lines.
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { errorFields, log, withRunContext } from "../log";
import { inSpan } from "../tracing";

export interface JobRun<T> {
  /** Log fields of this run (ids, counts; never addresses, bodies or secrets). */
  fields?: Record<string, unknown>;
  requestId?: string | null;
  /** What the run did, for its line; null = it found nothing to do (debug). */
  summary?: (result: T) => Record<string, unknown> | null;
}

export function observeJob<T>(job: string, run: JobRun<T>, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return withRunContext({ job, requestId: run.requestId ?? undefined, route: undefined }, () =>
    inSpan(`job ${job}`, { parent: ROOT_CONTEXT, attributes: { "holdfast.job": job } }, async () => {
      try {
        const result = await work();
        const summary = run.summary ? run.summary(result) : {};
        const fields = { ...run.fields, ...summary, durationMs: elapsed(), outcome: "ok" };
        if (summary === null) log().debug(fields, "job");
        else log().info(fields, "job");
        return result;
      } catch (error) {
        log().error({ ...run.fields, durationMs: elapsed(), outcome: "error", ...errorFields(error) }, "job");
        throw error;
      }
    }),
  );
}

/** For polling loops whose round returns how many items it handled. */
export const countSummary = (done: number) => (done > 0 ? { done } : null);
