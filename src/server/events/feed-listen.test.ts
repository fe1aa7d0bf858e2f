// The event feed's long poll and its one LISTEN connection: a reader subscribes, reads, then waits. An event
// committed after that read but before the LISTEN connection is listening is announced to nobody; the
// reader must still get it once the connection is up, not after the slow fallback poll.
// The LISTEN connection goes through a relay that holds it until the test lets it through.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties } from "~/test/engine-fixtures";
import { heldRelay } from "~/test/held-relay";
import { createDb } from "../db/client";
import { inTransaction } from "../db/transaction";
import { appendAgentEvent } from "./agent-events";
import { longPollAgentEvents, PgFeedNotifier } from "./feed";

const tdb = databaseForThisFile();

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the feed's listener", () => {
  it("a reader waiting while the listener connects gets an event committed meanwhile once it is listening", async () => {
    const READER = "feed reader under test";
    const named = new URL(tdb.url);
    named.searchParams.set("application_name", READER);
    const readerDb = createDb(named.toString(), { maxConnections: 2 });
    const relay = await heldRelay(new URL(tdb.url));
    const FALLBACK_POLL_MS = 60_000; // far longer than this test waits: only a wake-up can answer in time
    const notifier = new PgFeedNotifier(relay.url, FALLBACK_POLL_MS);
    const p = await createParties(tdb.db);
    try {
      const started = Date.now();
      const polling = longPollAgentEvents(readerDb, notifier, p.agentId, { afterSeq: 0n, limit: 10, waitMs: 45_000 });
      // It has subscribed (the listener is held) and its reads are done: it waits.
      await until(() => relay.held() === 1, 30_000, "the reader to subscribe");
      const busy = async () => {
        const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = ${READER} AND state <> 'idle'`;
        return (row?.n ?? 0) > 0;
      };
      await until(async () => !(await busy()) && !(await new Promise((r) => setTimeout(r, 200)).then(busy)), 30_000, "the reader to wait");

      await inTransaction(tdb.db, (tx) =>
        appendAgentEvent(tx, { agentId: p.agentId, type: "owner.instruction", data: { text: "Check the queue", alert_id: null }, createdAt: new Date() }),
      );
      relay.release();

      const events = await polling;
      expect(events.map((e) => e.type)).toEqual(["owner.instruction"]);
      expect(Date.now() - started).toBeLessThan(30_000); // not the 45 s wait, nor the 60 s fallback poll
    } finally {
      await relay.close(); // first: a listener still held would keep the notifier's close waiting
      await notifier.close();
      await readerDb.$disconnect();
    }
  }, 90_000);
});
