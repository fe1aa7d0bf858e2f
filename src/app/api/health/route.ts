// Liveness: the process is up and answers (no database). See src/server/ops/readiness.ts.
import { handleHealth } from "~/server/ops/readiness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = () => handleHealth();
