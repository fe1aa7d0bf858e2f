// Per-file test databases cloned from the migrated template (global-setup.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { createDb, type Db } from "../server/db/client";
import { checkDatabaseLedger } from "../server/ledger/check";

const TEMPLATE_DATABASE = "holdfast_test_template";

export interface TestDatabase {
  url: string;
  db: Db;
  /** Drops the database; call in afterAll. */
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("databaseAdminUrl") });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, empty database of its own. */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const name = `holdfast_test_${randomBytes(6).toString("hex")}`;
  // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions;
  // parallel files may clone at the same moment, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
      break;
    } catch (error) {
      if (attempt > 50 || !String(error).includes("being accessed by other users")) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = new URL(inject("databaseAdminUrl"));
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: options.maxConnections ?? 20 });
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * A database of its own for the test file this is called in (at its top level): created before its
 * tests, dropped after them. With `ledgerBalancedAfter`, the file's tests must also leave every
 * ledger invariant holding (checked before the drop).
 */
export function databaseForThisFile(options: { maxConnections?: number; ledgerBalancedAfter?: boolean } = {}): TestDatabase {
  let current: TestDatabase | null = null;
  const get = (): TestDatabase => {
    if (!current) throw new Error("the file's test database is only there while its tests run");
    return current;
  };
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    if (!current) return;
    if (options.ledgerBalancedAfter) expect(await checkDatabaseLedger(current.db)).toEqual([]);
    await current.drop();
  });
  return {
    get url() {
      return get().url;
    },
    get db() {
      return get().db;
    },
    drop: () => get().drop(),
  };
}

/** An empty database with nothing applied (for migration tests). */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `holdfast_empty_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(inject("databaseAdminUrl"));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
