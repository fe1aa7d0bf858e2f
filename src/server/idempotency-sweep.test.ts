// Idempotency keys are swept after their retention (issue 16 item 22): over real HTTP, a key older than
// the retention is gone after a sweep (the same key then runs the request anew), a newer one stays and
// still replays byte-for-byte; the sweep deletes in bounded batches and the background worker works a
// backlog off; a retention under the protocol's 24 hours is refused at start and by the sweep itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { call, createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { newId } from "./ids";
import { IDEMPOTENCY_KEY_RETENTION_HOURS, sweepIdempotencyKeys } from "./idempotency";
import { startIdempotencySweep } from "./jobs/idempotency-sweep";

const HOUR_MS = 3_600_000;
let h: Harness;
let w: World;

beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
});
afterAll(() => h.close());

const offerBody = (title: string) => ({ conversation_id: w.conversationId, title, amount: 1_000, currency: "USD", service_id: w.serviceId });

function postWithKey(key: string, title: string) {
  return call(h, w.key.key, "POST", "/escrows", { json: offerBody(title), headers: { "idempotency-key": key } });
}

async function ageKey(key: string, hours: number): Promise<void> {
  await h.tdb.db.idempotencyKey.updateMany({ where: { key }, data: { createdAt: new Date(Date.now() - hours * HOUR_MS) } });
}

describe("the idempotency-key sweep", () => {
  it("deletes keys older than the retention; newer keys stay and still replay", async () => {
    const oldFirst = await postWithKey("sweep-old", "Old offer");
    const newFirst = await postWithKey("sweep-new", "New offer");
    expect([oldFirst.status, newFirst.status]).toEqual([201, 201]);
    await ageKey("sweep-old", 25);
    await ageKey("sweep-new", 23);

    const deleted = await sweepIdempotencyKeys(h.tdb.db, { now: new Date(), retentionHours: 24 });

    expect(deleted).toBe(1);
    expect(await h.tdb.db.idempotencyKey.count({ where: { key: "sweep-old" } })).toBe(0);
    const replay = await postWithKey("sweep-new", "New offer");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(newFirst.body);
    // The swept key is free again: the same request runs anew (a second escrow), as PROTOCOL allows after retention.
    const rerun = await postWithKey("sweep-old", "Old offer");
    expect(rerun.status).toBe(201);
    expect(rerun.headers.get("idempotent-replayed")).toBeNull();
    expect((rerun.body as { id: string }).id).not.toBe((oldFirst.body as { id: string }).id);
  });

  it("deletes in bounded batches, oldest first, and the worker works a backlog off", async () => {
    const old = new Date(Date.now() - 48 * HOUR_MS);
    await h.tdb.db.idempotencyKey.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        id: newId("idk"),
        scope: "agent:backlog",
        key: `backlog-${i}`,
        requestHash: "0".repeat(64),
        responseStatus: 201,
        responseBody: "{}",
        createdAt: old,
      })),
    });
    expect(await sweepIdempotencyKeys(h.tdb.db, { now: new Date(), retentionHours: 24, batchSize: 100 })).toBe(100);
    expect(await h.tdb.db.idempotencyKey.count({ where: { scope: "agent:backlog" } })).toBe(150);

    const worker = startIdempotencySweep(h.deps.engine, { retentionHours: 24, everyMs: 60_000, log: () => {} });
    try {
      await expect.poll(() => h.tdb.db.idempotencyKey.count({ where: { scope: "agent:backlog" } }), { timeout: 10_000 }).toBe(0);
    } finally {
      await worker.stop();
    }
    // The kept key from the first test is still there.
    expect(await h.tdb.db.idempotencyKey.count({ where: { key: "sweep-new" } })).toBe(1);
  });

  it("refuses a retention under 24 hours, at start and in the sweep", async () => {
    expect(parseEnv({}).HOLDFAST_IDEMPOTENCY_RETENTION_H).toBe(IDEMPOTENCY_KEY_RETENTION_HOURS);
    expect(parseEnv({ HOLDFAST_IDEMPOTENCY_RETENTION_H: "72" }).HOLDFAST_IDEMPOTENCY_RETENTION_H).toBe(72);
    expect(() => parseEnv({ HOLDFAST_IDEMPOTENCY_RETENTION_H: "23" })).toThrow(/HOLDFAST_IDEMPOTENCY_RETENTION_H: must be at least 24/);
    await expect(sweepIdempotencyKeys(h.tdb.db, { now: new Date(), retentionHours: 1 })).rejects.toThrow(RangeError);
    expect(await h.tdb.db.idempotencyKey.count({ where: { key: "sweep-new" } })).toBe(1);
  });
});
