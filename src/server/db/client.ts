// The Prisma client over node-postgres (Prisma 7's Rust-free client with
// @prisma/adapter-pg). One pool per process, created lazily. Its connections are
// TracedClients: with tracing on, every SQL statement is a span (issue 21).
import { PrismaPg } from "@prisma/adapter-pg";
import { createHash } from "node:crypto";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { startSqlSpan } from "./sql-span";

export type Db = PrismaClient;

/**
 * pg's Client with a span per statement (a child of whatever span is active: the transition, the
 * request, the job). The statement text is Prisma's parameterised SQL ($1, $2 …); values are never
 * recorded. With tracing off it is pg's own query, after one boolean check.
 */
class TracedClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query;
TracedClient.prototype.query = function tracedQuery(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string; submit?: unknown } | undefined;
  const text = typeof first === "string" ? first : first?.text;
  const callbackStyle = typeof args[args.length - 1] === "function" || (typeof first === "object" && first !== null && "submit" in first);
  const span = text && !callbackStyle ? startSqlSpan(text) : null;
  const result = (plainQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (!span) return result;
  return (result as Promise<unknown>).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      span.fail(error);
      throw error;
    },
  );
} as typeof plainQuery;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, options: { maxConnections?: number; namedStatements?: boolean } = {}): Db {
  // The pool is ours (not the adapter's) so its use can be measured (src/server/ops/metrics.ts);
  // $disconnect still ends it. Its clients trace their statements (TracedClient).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10, Client: TracedClient });
  // namedStatements (an experiment of bench/timers --named-statements, off by default): each SQL text is
  // parsed once per connection, and PostgreSQL may reuse a generic plan, instead of parsing and planning
  // every statement afresh (Prisma sends unnamed statements).
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    ...(options.namedStatements ? { statementNameGenerator: (query: { sql: string }) => `hf_${createHash("sha1").update(query.sql).digest("hex").slice(0, 20)}` } : {}),
  });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

/** The node-postgres pool under a client made by createDb (null for any other). */
export function poolOf(db: Db): pg.Pool | null {
  return pools.get(db) ?? null;
}

const globalForDb = globalThis as unknown as { holdfastDb?: Db };

/** The process-wide client for DATABASE_URL (set by the launcher when embedded). */
export function getDb(): Db {
  if (!globalForDb.holdfastDb) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Start Holdfast with `npm start` (embedded PostgreSQL) or set DATABASE_URL.",
      );
    }
    globalForDb.holdfastDb = createDb(url);
  }
  return globalForDb.holdfastDb;
}
