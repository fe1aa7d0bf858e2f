// A database client that records every SQL statement it sends, for structural tests of the write path
// (how often a transition locks and reads its escrow). The text is Prisma's parameterised SQL.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Db } from "~/server/db/client";
import { PrismaClient } from "~/server/db/generated/client";

export interface StatementLog {
  db: Db;
  /** Statements since the last clear(), in the order sent. */
  statements: string[];
  clear(): void;
  close(): Promise<void>;
}

export function statementLoggingDb(databaseUrl: string): StatementLog {
  const statements: string[] = [];
  class RecordingClient extends pg.Client {}
  const plainQuery = pg.Client.prototype.query;
  RecordingClient.prototype.query = function recordingQuery(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === "string" ? first : first?.text;
    if (text) statements.push(text);
    return (plainQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof plainQuery;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, Client: RecordingClient });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return {
    db,
    statements,
    clear: () => void statements.splice(0),
    close: () => db.$disconnect(),
  };
}
