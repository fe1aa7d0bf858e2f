// The Prisma schema and the migrations must describe the same database, the
// offline migrator must really create it (and record it where `prisma migrate
// deploy` looks), and the constraints that guard money must hold.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "../scripts/schema-engine";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "../src/server/db/migrate";
import { createEmptyDatabase } from "../src/test/db";

let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
beforeAll(async () => {
  empty = await createEmptyDatabase();
});
afterAll(() => empty.drop());

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("schema.prisma and prisma/migrations", () => {
  it("agree: the SQL from the migrations to the schema is empty", async () => {
    const sql = await diffMigrationsToSchema(empty.url);
    expect(sql.trim()).toBe("");
  });

  it("disagree visibly when a migration lacks part of the schema", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-migrations-"));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const first = readMigrations(dir)[0]!;
      const file = path.join(dir, first.name, "migration.sql");
      const withoutIndex = readFileSync(file, "utf8").replace(/CREATE INDEX "escrows_status_deadline_idx"[^;]*;/, "");
      writeFileSync(file, withoutIndex);
      const sql = await diffMigrationsToSchema(empty.url, dir);
      expect(sql).toContain("escrows_status_deadline_idx");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("applyMigrations (the offline migrator)", () => {
  it("creates every table and records each migration as prisma migrate deploy would", async () => {
    const first = await applyMigrations(empty.url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));

    const tables = await query<{ table_name: string }>(
      empty.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const names = tables.map((t) => t.table_name);
    for (const table of [
      "users", "agents", "agent_api_keys", "services", "conversations", "messages", "artifacts", "escrows",
      "settlements", "escrow_events", "ledger_accounts", "ledger_transfers", "idempotency_keys",
      "agent_events", "outbox", "_prisma_migrations",
    ]) {
      expect(names).toContain(table);
    }

    const recorded = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      empty.url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.map((r) => [r.migration_name, r.checksum])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum]),
    );
    expect(recorded.every((r) => r.finished_at !== null)).toBe(true);

    const second = await applyMigrations(empty.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(readMigrations().length);
  });

  it("refuses to run when an applied migration was edited", async () => {
    await query(empty.url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await expect(applyMigrations(empty.url)).rejects.toThrow(/edited after it was applied/);
    const first = readMigrations()[0]!;
    await query(empty.url, `UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [
      first.checksum,
      first.name,
    ]);
  });

  it("backs the money rules with constraints", async () => {
    await query(empty.url, `INSERT INTO users (id, email, display_name, updated_at) VALUES ('usr_1', 'a@x', 'A', now())`);
    await query(
      empty.url,
      `INSERT INTO ledger_accounts (id, key, kind, currency, user_id, balance_minor, updated_at)
       VALUES ('acc_w', 'wallet:usr_1:USD', 'wallet', 'USD', 'usr_1', 0, now()),
              ('acc_x', 'external_funding:USD', 'external_funding', 'USD', NULL, 0, now())`,
    );
    // A wallet cannot go negative, an external account can.
    await expect(query(empty.url, `UPDATE ledger_accounts SET balance_minor = -1 WHERE id = 'acc_w'`)).rejects.toThrow(
      /ledger_accounts_balance_nonnegative/,
    );
    await query(empty.url, `UPDATE ledger_accounts SET balance_minor = -1 WHERE id = 'acc_x'`);

    const insertTransfer = (id: string, amount: number) =>
      query(
        empty.url,
        `INSERT INTO ledger_transfers (id, operation_key, kind, from_account_id, to_account_id, amount_minor, currency)
         VALUES ($1, 'op:topup:1', 'topup', 'acc_x', 'acc_w', $2, 'USD')`,
        [id, amount],
      );
    await expect(insertTransfer("t0", 0)).rejects.toThrow(/ledger_transfers_amount_positive/);
    await insertTransfer("t1", 5);
    // One transfer per idempotent operation.
    await expect(insertTransfer("t2", 5)).rejects.toThrow(/operation_key/);

    // Reference codes are unique and six capital letters.
    await query(
      empty.url,
      `INSERT INTO agents (id, owner_id, handle, display_name, updated_at) VALUES ('agt_1', 'usr_1', 'a', 'A', now());
       INSERT INTO conversations (id, agent_id, customer_id) VALUES ('cnv_1', 'agt_1', 'usr_1')`,
    );
    const insertEscrow = (id: string, code: string) =>
      query(
        empty.url,
        `INSERT INTO escrows (id, reference_code, conversation_id, agent_id, customer_id, title, amount_minor,
                              currency, fee_bps, fee_amount_minor, status_changed_at, updated_at)
         VALUES ($1, $2, 'cnv_1', 'agt_1', 'usr_1', 't', 100, 'USD', 0, 0, now(), now())`,
        [id, code],
      );
    await insertEscrow("esc_1", "ABCDEF");
    await expect(insertEscrow("esc_2", "ABCDEF")).rejects.toThrow(/reference_code/);
    await expect(insertEscrow("esc_3", "abc123")).rejects.toThrow(/escrows_reference_code_format/);
  });
});
