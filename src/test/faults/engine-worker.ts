// A child process for the fault tests: runs escrow lifecycles through the real
// engine against DATABASE_URL with many commands in flight at once (racing
// approve against dispute, proposals against acceptances), forever, until it
// is killed. Parties come from FAULT_PARTIES (JSON), made by the test.
import { createDb } from "~/server/db/client";
import { inTransaction } from "~/server/db/transaction";
import { testContext, UNCAPPED_POLICIES } from "~/test/engine-fixtures";
import { pick, runLifecycle, type FaultParties } from "~/test/faults/lifecycle";

const url = process.env.DATABASE_URL;
const parties = JSON.parse(process.env.FAULT_PARTIES ?? "[]") as FaultParties[];
const concurrency = Number(process.env.FAULT_CONCURRENCY ?? 8);
if (!url || parties.length === 0) throw new Error("DATABASE_URL and FAULT_PARTIES are required");

const db = createDb(url, { maxConnections: concurrency * 2 });
const ctx = testContext(db, { now: () => new Date(), advanceSeconds() {}, set() {} }, 1000, UNCAPPED_POLICIES);
async function loop() {
  for (;;) {
    await runLifecycle(ctx, pick(parties)).catch((error: unknown) => {
      // Only expected refusals are swallowed above; anything else is worth a line in the test log.
      process.stderr.write(`lifecycle error: ${String(error)}\n`);
    });
  }
}

await inTransaction(db, async () => undefined);
process.stdout.write("ready\n");
await Promise.all(Array.from({ length: concurrency }, loop));
