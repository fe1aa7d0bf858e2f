// createDb's namedStatements (bench/timers --named-statements, issue 20's profile): each SQL text is
// prepared once per connection and executed by name afterwards; without it, every statement is parsed
// and planned afresh (Prisma's unnamed statements). Results are the same either way.
import { afterAll, describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createDb, type Db } from "./client";

const tdb = databaseForThisFile();
const opened: Db[] = [];
afterAll(() => Promise.all(opened.map((d) => d.$disconnect())));

async function preparedAfterTwoRuns(namedStatements: boolean) {
  const db = createDb(tdb.url, { maxConnections: 1, namedStatements });
  opened.push(db);
  const answers = [];
  for (const n of [1, 2]) answers.push(await db.$queryRaw<{ n: number }[]>`SELECT ${n}::int AS n, 'client.test' AS tag`);
  // One connection (max 1): the session that ran both statements.
  const [prepared] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement LIKE '%client.test%' AND statement NOT LIKE '%pg_prepared_statements%'`;
  return { answers: answers.map((rows) => rows[0]?.n), prepared: prepared?.count };
}

describe("createDb namedStatements", () => {
  it("prepares a statement once per connection and reuses it; the default sends unnamed statements", async () => {
    expect(await preparedAfterTwoRuns(true)).toEqual({ answers: [1, 2], prepared: 1 });
    expect(await preparedAfterTwoRuns(false)).toEqual({ answers: [1, 2], prepared: 0 });
  });
});
