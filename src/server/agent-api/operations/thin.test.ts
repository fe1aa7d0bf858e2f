// Agent API operations are thin (issue 19), like the tRPC routers (src/server/api/routers/thin.test.ts):
// an operation validates, calls services and shapes the answer. It opens no transaction (execute.ts runs
// each operation inside one) and reads or writes no table itself — operations used to look up agents,
// escrows, settlements, messages, services and artifacts directly. This reads each operation file's
// source and fails on a transaction, raw SQL or a Prisma model call in it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const OPERATIONS = path.join(process.cwd(), "src/server/agent-api/operations");

const FORBIDDEN = [
  "inTransaction(",
  "$transaction(",
  "$queryRaw",
  "$executeRaw",
  // a table touched through the client: c.tx.escrow.findFirst(…), tx.message.findMany(…)
  /\b(?:db|tx)\.[a-z][A-Za-z]*\.(?:find|create|update|upsert|delete|count|aggregate|groupBy)/,
];

function forbiddenIn(source: string): string[] {
  return FORBIDDEN.filter((pattern) => (typeof pattern === "string" ? source.includes(pattern) : pattern.test(source))).map(String);
}

describe("agent API operations are thin", () => {
  const files = readdirSync(OPERATIONS).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("finds the operations (or the check is hollow)", () => {
    expect(files).toEqual(expect.arrayContaining(["account.ts", "conversations.ts", "escrows.ts", "purchases.ts", "artifacts.ts", "index.ts"]));
  });

  it("recognises a query the old code made", () => {
    expect(forbiddenIn("const row = await c.tx.message.findUniqueOrThrow({ where: { id } });")).toHaveLength(1);
    expect(forbiddenIn("await tx.escrow.findFirst({ where })")).toHaveLength(1);
    expect(forbiddenIn("await c.tx.$queryRaw`SELECT 1`")).toEqual(["$queryRaw"]);
    expect(forbiddenIn("await findEscrowInScope(c.tx, actor, ref)")).toEqual([]);
  });

  it.each(files)("%s opens no transaction and queries no table", (file) => {
    expect(forbiddenIn(readFileSync(path.join(OPERATIONS, file), "utf8"))).toEqual([]);
  });
});
