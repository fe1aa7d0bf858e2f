// Several server processes behind one port (`HOLDFAST_SERVER_PROCESSES=N npm start`): this primary forks
// N copies of the server command (node:cluster shares the listening socket and hands connections out
// round-robin) and runs the background workers (timers, outbox and notification relays, sweeps) in the
// first copy only; the others answer requests (HOLDFAST_WORKERS=0). Each copy knows N, so it holds 1/N of
// every in-memory rate limit. A copy that dies stops the whole server, as the single process does, so the
// launcher's shutdown and exit code are the same in both modes. When it pays: docs/OPERATIONS.md.
//
//   node --import tsx scripts/server-cluster.ts <server script> [args…]
import cluster, { type Worker } from "node:cluster";
import { clusterWorkerEnv, serverProcessCount } from "./launcher-options";

const [exec, ...args] = process.argv.slice(2);
if (!exec) {
  console.error("usage: server-cluster.ts <server script> [args…]");
  process.exit(2);
}
const count = serverProcessCount(process.env);
if ("error" in count) {
  console.error(`[holdfast] ${count.error}`);
  process.exit(2);
}

// The copies run the server itself, not under this script's TypeScript loader.
const execArgv: string[] = [];
for (let i = 0; i < process.execArgv.length; i++) {
  const arg = process.execArgv[i]!;
  if (arg === "--import" && process.execArgv[i + 1] === "tsx") i++;
  else if (arg !== "--import=tsx") execArgv.push(arg);
}
cluster.setupPrimary({ exec, args, execArgv });
const workers: Worker[] = [];
for (let index = 0; index < count.processes; index++) workers.push(cluster.fork(clusterWorkerEnv(process.env, index, count.processes)));

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  const alive = workers.filter((w) => !w.isDead());
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const worker of alive) {
    worker.once("exit", () => {
      if (--left === 0) process.exit(code);
    });
    worker.process.kill("SIGTERM");
  }
  // A copy that ignores SIGTERM does not keep the port: end it after the launcher's grace period.
  setTimeout(() => {
    for (const worker of alive) if (!worker.isDead()) worker.process.kill("SIGKILL");
    process.exit(code);
  }, 15_000).unref();
}

cluster.on("exit", (worker, code, signal) => {
  if (stopping) return;
  console.error(`[holdfast] server process ${worker.process.pid} exited (${signal ?? code}); stopping the others`);
  stop(typeof code === "number" && code !== 0 ? code : 1);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(0));
