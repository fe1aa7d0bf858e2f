// Prometheus scrape endpoint behind HOLDFAST_METRICS_TOKEN (404 when unset). See src/server/ops/metrics.ts.
import { env } from "~/env";
import { getDb } from "~/server/db/client";
import { registerLedgerCheckMetrics } from "~/server/ops/ledger-metrics";
import { handleMetrics } from "~/server/ops/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => {
  // The last ledger check's gauges (read from ledger_check_runs at scrape time); once per registry.
  if (process.env.DATABASE_URL) registerLedgerCheckMetrics();
  return handleMetrics(request, { token: env().HOLDFAST_METRICS_TOKEN, db: process.env.DATABASE_URL ? getDb() : null });
};
