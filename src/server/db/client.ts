// The Prisma client over node-postgres (Prisma 7's Rust-free client with
// @prisma/adapter-pg). One pool per process, created lazily.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
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
