// Readiness: database, migrations and this process's workers; 503 when not ready. See src/server/ops/readiness.ts.
import { getDb } from "~/server/db/client";
import { expectedWorkerNames } from "~/server/jobs/workers";
import { handleReady } from "~/server/ops/readiness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = () => handleReady({ db: getDb(), expectedWorkers: expectedWorkerNames() });
