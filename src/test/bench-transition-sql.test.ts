// bench/api/transition.sql is pgbench's copy of one `accept`: the bench compares the API's transitions/s
// with pgbench running it, so the copy must stay the engine's SQL. This test (1) runs an accept through
// the engine and checks the script holds the very statements it sent inside its transaction (the
// escrow's lock-and-read, the seller's lock, the one write), text for text up to parameter names and
// whitespace; (2) runs the script under pgbench on seeded jobs and checks each job was really accepted
// with its ledger moved (the same check the bench makes after each run).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPgbenchJobs, PGBENCH, seedPgbenchJobs } from "../../bench/api/pgbench";
import { createDb } from "~/server/db/client";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { databaseForThisFile } from "./db";
import { createParties, fund, offer, testClock, testContext } from "./engine-fixtures";
import { statementLoggingDb, type StatementLog } from "./statement-log";

const SCRIPT = path.resolve(__dirname, "../../bench/api/transition.sql");
const tdb = databaseForThisFile();
let log: StatementLog;

beforeAll(() => {
  log = statementLoggingDb(tdb.url);
});
afterAll(() => log.close());

/** SQL comments dropped on both sides (the script's explain it; the engine's are in its source). */
const uncommented = (sql: string) => sql.replace(/--[^\n]*/g, "");

/** The script's SQL statements (pgbench's \gset left out). */
function scriptStatements(): string[] {
  const text = uncommented(readFileSync(SCRIPT, "utf8"));
  return text
    .split(/;\s*(?:\\gset)?\s*\n|\\gset\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Parameters and NULL literals as `?` (pgbench variables here, $n there; the script's NULLs are the server's NULL parameters), whitespace collapsed. */
const shape = (sql: string) =>
  uncommented(sql)
    .replace(/(?<!:):[A-Za-z_]\w*/g, "?")
    .replace(/\$\d+/g, "?")
    .replace(/\bNULL(?=::)/g, "?")
    .replace(/\s+/g, " ")
    .trim();

describe("bench/api/transition.sql mirrors the engine's accept", () => {
  it("holds the statements an accept sends between BEGIN and COMMIT, in order", async () => {
    const clock = testClock();
    const ctx = testContext(log.db, clock);
    const p = await createParties(log.db);
    await fund(ctx, p.customerId, 5_000);
    const pending = await offer(ctx, p);
    log.clear();
    const result = await runEscrowCommand(ctx, pending.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    expect(result.escrow.status).toBe("active");
    const sent = log.statements.filter((s) => !/^\s*(BEGIN|COMMIT)\b/i.test(s)).map(shape);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    const script = scriptStatements().map(shape);
    const begin = script.indexOf("BEGIN");
    const commit = script.indexOf("COMMIT");
    expect(begin).toBeGreaterThan(0);
    expect(script.slice(begin + 1, commit)).toEqual(sent);
  });

  it.skipIf(!existsSync(PGBENCH))("accepts one pending escrow per pgbench transaction, its ledger moved", async () => {
    await seedPgbenchJobs(tdb.url, 2, 12);
    const run = spawnSync(PGBENCH, ["-n", "-M", "extended", "-f", SCRIPT, "-c", "2", "-j", "1", "-t", "4", tdb.url], { encoding: "utf8" });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/number of transactions actually processed: 8\/8/);
    const db = createDb(tdb.url, { maxConnections: 1 });
    try {
      expect(await checkPgbenchJobs(db, 0, 8)).toEqual({ taken: 8, active: 8, funded: 8, walletsOff: 0 });
      // The jobs not taken are untouched.
      expect(await checkPgbenchJobs(db, 8, 12)).toEqual({ taken: 4, active: 0, funded: 0, walletsOff: 0 });
    } finally {
      await db.$disconnect();
    }
  }, 60_000);
});
