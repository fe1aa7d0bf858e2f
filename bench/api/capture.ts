// The SQL one request really issues: statement logging switched on for the whole server (ALTER
// SYSTEM + reload, which reaches the web server's open pool connections too) around one call, then
// switched off. Used by `run.ts --capture-sql` to show what bench/api/transition.sql mirrors.
import pg from "pg";
import type { Database } from "./stack";

export async function captureSql(db: Database, fn: () => Promise<unknown>): Promise<string[]> {
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  try {
    await admin.query("ALTER SYSTEM SET log_statement = 'all'");
    await admin.query("SELECT pg_reload_conf()");
    await new Promise((r) => setTimeout(r, 500));
    await admin.query("SELECT 'bench-capture-start'");
    await fn();
    await admin.query("SELECT 'bench-capture-end'");
  } finally {
    await admin.query("ALTER SYSTEM RESET log_statement");
    await admin.query("SELECT pg_reload_conf()");
    await admin.end();
  }
  await new Promise((r) => setTimeout(r, 300));
  const text = db.logLines.join("");
  const start = text.lastIndexOf("bench-capture-start");
  const end = text.lastIndexOf("bench-capture-end");
  return text
    .slice(start, end)
    .split("\n")
    .slice(1, -1)
    .map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, ""))
    .filter((l) => l.trim() !== "");
}
