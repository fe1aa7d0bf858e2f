// The SQL requests really issue: statement logging switched on for the whole server (ALTER SYSTEM +
// reload, which reaches the web server's open pool connections too) around a series of calls, a marker
// statement between them, then switched off. Used by `run.ts --capture-sql` to show what
// bench/api/transition.sql mirrors and to count the statements of each request.
//
// Only the web server's request statements are counted: the capture runs the server with its background
// workers off (HOLDFAST_WORKERS=0), and the one worker that always runs, the webhook relay (a poll every
// 2 s), is recognised by its claim statement and heartbeat write: a step it ran into is captured again.
import pg from "pg";
import type { Database } from "./stack";

export interface CaptureStep {
  name: string;
  run: () => Promise<unknown>;
}

export interface CapturedStep {
  name: string;
  /** The log lines of the step's statements (a statement's continuation lines and DETAIL included). */
  lines: string[];
  /** Statements the server sent (BEGIN and COMMIT included). */
  statements: number;
}

/** A statement's first log line: extended protocol (`execute`) or simple (`statement:`, BEGIN/COMMIT). */
const STATEMENT = /^LOG:\s+(execute \S+:|statement:)/;
/** What the webhook relay's poll sends (src/server/webhooks/relay.ts claimDue, src/server/ops/heartbeats.ts). */
const BACKGROUND = [/^\s*SELECT id FROM webhook_deliveries\s*$/, /"worker_heartbeats"/];
/** The marker statement's text, and its closing quote when searched for (mark-1' is not mark-10'). */
const marker = (i: number) => `bench-capture-mark-${i}`;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/**
 * Runs the steps in order with statement logging on and returns each one's statements. A step's
 * stragglers (work the server finishes after answering) land in its own segment: the next marker waits
 * `settleMs`. Steps are captured as one series (a lifecycle's steps depend on each other): when any
 * step's segment holds a background statement, `tries` allows the whole series to run again.
 */
export async function captureSteps(db: Database, makeSteps: () => Promise<CaptureStep[]>, tries = 5, settleMs = 150): Promise<CapturedStep[]> {
  for (let attempt = 1; ; attempt++) {
    const steps = await makeSteps();
    const captured = await captureOnce(db, steps, settleMs);
    const noisy = captured.some((s) => s.lines.some((l) => BACKGROUND.some((re) => re.test(l))));
    if (!noisy) return captured;
    if (attempt >= tries) throw new Error(`the webhook relay's poll fell into the capture ${tries} times in a row`);
  }
}

async function captureOnce(db: Database, steps: CaptureStep[], settleMs: number): Promise<CapturedStep[]> {
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  const logStart = db.logLines.length;
  try {
    await admin.query("ALTER SYSTEM SET log_statement = 'all'");
    await admin.query("SELECT pg_reload_conf()");
    await sleep(500);
    await admin.query(`SELECT '${marker(0)}'`);
    for (const [i, step] of steps.entries()) {
      await step.run();
      await sleep(settleMs);
      await admin.query(`SELECT '${marker(i + 1)}'`);
    }
  } finally {
    await admin.query("ALTER SYSTEM RESET log_statement");
    await admin.query("SELECT pg_reload_conf()");
    await admin.end();
  }
  await sleep(300);
  // The log arrives in chunks of lines; the buffer keeps the last 5,000 chunks (stack.ts).
  const text = db.logLines.slice(Math.max(0, logStart - 50)).join("");
  return steps.map((step, i) => {
    const from = text.lastIndexOf(`${marker(i)}'`);
    const to = text.lastIndexOf(`${marker(i + 1)}'`);
    if (from < 0 || to < from) throw new Error(`capture markers of step ${step.name} not found in the PostgreSQL log`);
    const lines = text
      .slice(from, to)
      .split("\n")
      .slice(1, -1)
      .map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, ""))
      .filter((l) => l.trim() !== "");
    return { name: step.name, lines, statements: lines.filter((l) => STATEMENT.test(l)).length };
  });
}
