// Runs the background workers (embedded scheduler or Inngest relay, and the notification relay) as a
// process of its own: `tsx src/server/jobs/run-scheduler.ts` with DATABASE_URL set. The web server
// runs the same workers from src/instrumentation.ts; this entry point is for a separate worker
// process and for the crash-and-restart test. SIGTERM/SIGINT stop it after the firings under way.
import { startBackgroundWorkers } from "./workers";

if (!process.env.DATABASE_URL) {
  console.error("run-scheduler: DATABASE_URL is not set");
  process.exit(2);
}
const workers = startBackgroundWorkers();
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all(workers.map((w) => w.stop()));
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
