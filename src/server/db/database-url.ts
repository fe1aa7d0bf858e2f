// Where the database is: DATABASE_URL when set, otherwise the embedded
// PostgreSQL whose data lives under .data/ (started here if it is not running).
import path from "node:path";
import { applyMigrations } from "./migrate";
import { embeddedUrl, runningEmbeddedPort, startEmbeddedPostgres, type RunningPostgres } from "./embedded";

/** HOLDFAST_DATA_DIR lets tests run a stack of their own beside the demo one. */
export const EMBEDDED_DATA_DIR = path.resolve(process.env.HOLDFAST_DATA_DIR ?? path.join(process.cwd(), ".data"), "pg");
export const EMBEDDED_DATABASE = "holdfast";

export function embeddedPort(): number {
  return Number(process.env.HOLDFAST_EMBEDDED_PG_PORT ?? 54329);
}

export interface ResolvedDatabase {
  url: string;
  /** Set when this call started the embedded server; stop it when done. */
  started: RunningPostgres | null;
}

export async function resolveDatabase(onLog?: (line: string) => void): Promise<ResolvedDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, started: null };
  const runningPort = runningEmbeddedPort(EMBEDDED_DATA_DIR);
  if (runningPort !== null) return { url: embeddedUrl(runningPort, EMBEDDED_DATABASE), started: null };
  const server = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR, port: embeddedPort(), onLog });
  await ensureDatabaseExists(server.adminUrl, EMBEDDED_DATABASE);
  // The embedded default is always kept migrated: every command may rely on it.
  const url = server.urlFor(EMBEDDED_DATABASE);
  await applyMigrations(url);
  return { url, started: server };
}

export async function ensureDatabaseExists(adminUrl: string, database: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Runs `work` against the configured database, starting and stopping the embedded one if needed. */
export async function withDatabaseUrl<T>(work: (url: string) => Promise<T>): Promise<T> {
  const db = await resolveDatabase();
  try {
    return await work(db.url);
  } finally {
    await db.started?.stop();
  }
}
