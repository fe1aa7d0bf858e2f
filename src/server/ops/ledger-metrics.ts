// The last ledger check on Prometheus' default registry (served by /api/metrics): read from
// `ledger_check_runs` at scrape time, so every process reports the same last run — a web-only process
// (HOLDFAST_WORKERS=0) included. Before the first run: ok 1, last run 0 (alert on staleness, see
// docs/OPERATIONS.md).
import { Gauge, register as defaultRegister, type Registry } from "prom-client";
import { getDb, type Db } from "../db/client";
import { latestLedgerCheckRun, type LedgerCheckRunView } from "./ledger-check-runs";

export const LEDGER_CHECK_METRICS = {
  ok: "holdfast_ledger_check_ok",
  lastRun: "holdfast_ledger_check_last_run_timestamp_seconds",
  violations: "holdfast_ledger_check_violations",
} as const;

/** How long one scrape reuses a read, so the three gauges cost one query. */
const READ_REUSE_MS = 1_000;

/** Registers the three gauges once per registry (idempotent: Next may load this module more than once). */
export function registerLedgerCheckMetrics(options: { register?: Registry; db?: () => Db } = {}): void {
  const registry = options.register ?? defaultRegister;
  if (registry.getSingleMetric(LEDGER_CHECK_METRICS.ok)) return;
  const db = options.db ?? getDb;
  let cached: { at: number; run: Promise<LedgerCheckRunView | null | undefined> } | null = null;
  // undefined when the database did not answer: the gauges keep their last values and the scrape still
  // succeeds (a scrape that fails as a whole would hide every other metric exactly when they matter).
  const latest = (): Promise<LedgerCheckRunView | null | undefined> => {
    if (!cached || Date.now() - cached.at > READ_REUSE_MS) {
      cached = { at: Date.now(), run: Promise.resolve().then(() => latestLedgerCheckRun(db())).catch(() => undefined) };
    }
    return cached.run;
  };
  new Gauge({
    name: LEDGER_CHECK_METRICS.ok,
    help: "1 when the last ledger check found no violation (or none has run yet), 0 when it found one",
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run !== undefined) this.set(run === null || run.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: LEDGER_CHECK_METRICS.lastRun,
    help: "When the last ledger check finished, in Unix seconds (0 before the first)",
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run !== undefined) this.set(run ? run.finishedAt.getTime() / 1000 : 0);
    },
  });
  new Gauge({
    name: LEDGER_CHECK_METRICS.violations,
    help: "Violations the last ledger check found",
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run !== undefined) this.set(run ? run.violationCount : 0);
    },
  });
}
