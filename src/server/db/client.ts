// The Prisma client over node-postgres (Prisma 7's Rust-free client with
// @prisma/adapter-pg). One pool per process, created lazily.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}): Db {
  // The pool is ours (not the adapter's) so its use can be measured (src/server/ops/metrics.ts);
  // $disconnect still ends it.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
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
