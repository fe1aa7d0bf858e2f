// Prometheus scrape endpoint behind HOLDFAST_METRICS_TOKEN (404 when unset). See src/server/ops/metrics.ts.
import { env } from "~/env";
import { getDb } from "~/server/db/client";
import { handleMetrics } from "~/server/ops/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleMetrics(request, { token: env().HOLDFAST_METRICS_TOKEN, db: process.env.DATABASE_URL ? getDb() : null });
