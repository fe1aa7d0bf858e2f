// Operations (issue 21 items 5 and 6) on a real, throwaway database: a ledger violation seeded by writing an
// unbalanced transfer directly is found by the periodic check in the background worker, recorded, shown by
// the gauges (0) and on the operations page's procedures, and alerts the moderators exactly once per
// distinct violation set; the page's "retry now" and "give up" change the outbox rows and write the log.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, fund, offer, testContext, type Parties } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import type { SessionUser } from "../auth/session-user";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { realClock } from "~/test/timer-fixtures";
import { deliverDueWebhooks, newWebhookSecret } from "../webhooks/relay";
import { startLedgerCheck } from "../jobs/ledger-check-worker";
import { LEDGER_CHECK_METRICS, registerLedgerCheckMetrics } from "./ledger-metrics";
import { operationsOverview } from "./overview";

const tdb = databaseForThisFile();
let ctx: EngineContext;
let p: Parties;
let moderators: SessionUser[];

beforeAll(async () => {
  ctx = testContext(tdb.db, { ...realClock, advanceSeconds() {}, set() {} }, 0);
  p = await createParties(tdb.db);
  await fund(ctx, p.customerId, 10_000);
  moderators = [await createUser(tdb.db, "admin", "Moderator A"), await createUser(tdb.db, "admin", "Moderator B")];
  // A suspended moderator is not alerted.
  const suspended = await createUser(tdb.db, "admin", "Suspended moderator");
  await tdb.db.user.update({ where: { id: suspended.id }, data: { status: "suspended" } });
});

/** Moves money between two accounts without touching their balances: the ledger no longer agrees with itself. */
async function seedUnbalancedTransfer(fromKey: string, toKey: string, amountMinor: number) {
  const from = await tdb.db.ledgerAccount.findUniqueOrThrow({ where: { key: fromKey } });
  const to = await tdb.db.ledgerAccount.findUniqueOrThrow({ where: { key: toKey } });
  await tdb.db.ledgerTransfer.create({
    data: { id: newId("trf"), operationKey: `seeded:${newId("trf")}`, kind: "topup", fromAccountId: from.id, toAccountId: to.id, amountMinor: BigInt(amountMinor), currency: "USD" },
  });
}

const alertsSent = () => tdb.db.notification.findMany({ where: { template: "ledger_violation" }, orderBy: { createdAt: "asc" } });
const runs = () => tdb.db.ledgerCheckRun.findMany({ orderBy: { id: "asc" } });

async function scrape(registry: Registry): Promise<Record<string, number>> {
  const text = await registry.metrics();
  const values: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(holdfast_ledger_check_\w+) (\S+)$/.exec(line);
    if (m) values[m[1]!] = Number(m[2]);
  }
  return values;
}

describe("the periodic ledger check", () => {
  it("records each run, alerts every active moderator once per distinct violation set, and the gauges and the ops page show it", async () => {
    const registry = new Registry();
    registerLedgerCheckMetrics({ register: registry, db: () => tdb.db });
    registerLedgerCheckMetrics({ register: registry, db: () => tdb.db }); // idempotent
    expect(await scrape(registry)).toMatchObject({ [LEDGER_CHECK_METRICS.ok]: 1, [LEDGER_CHECK_METRICS.lastRun]: 0 });

    const worker = startLedgerCheck(ctx, { intervalS: 1, log: () => {} });
    try {
      // A clean ledger: a run is recorded, nobody is alerted.
      await expect.poll(async () => (await runs()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      expect((await runs())[0]).toMatchObject({ ok: true, violationCount: 0, trigger: "schedule", alerted: false });
      expect(await alertsSent()).toHaveLength(0);
      const admin = callerFor(ctx, moderators[0]!);
      expect(await admin.admin.ledgerAlert()).toBeNull();

      const wallet = (await tdb.db.ledgerAccount.findFirstOrThrow({ where: { userId: p.customerId, kind: "wallet" } })).key;
      const funding = (await tdb.db.ledgerAccount.findFirstOrThrow({ where: { kind: "external_funding" } })).key;
      // The worker keeps running meanwhile: a run may be under way while the seed commits, read the ledger
      // before it and record after. So count the runs before seeding (none of those can see it), and hold
      // to "finds it" only the runs that started after the seed had committed.
      const runsBeforeSeed = (await runs()).length;
      await seedUnbalancedTransfer(funding, wallet, 250);
      const seededAt = Date.now();
      const startedAfterSeed = async () => (await runs()).filter((r) => r.startedAt.getTime() > seededAt);

      // The next runs find it; the same set on later runs alerts nobody again.
      await expect.poll(async () => (await startedAfterSeed()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      expect((await startedAfterSeed()).every((r) => !r.ok && r.violationCount === 2)).toBe(true);
      const sinceSeed = (await runs()).slice(runsBeforeSeed);
      // A run that overlapped the seed saw all of it or none of it, and the first to see it alerted, once.
      expect(sinceSeed.every((r) => (r.ok && r.violationCount === 0) || (!r.ok && r.violationCount === 2))).toBe(true);
      expect(sinceSeed.filter((r) => r.alerted)).toHaveLength(1);
      const alerts = await alertsSent();
      expect(alerts.map((a) => a.userId).sort()).toEqual(moderators.map((m) => m.id).sort());
      expect(alerts[0]!.subject).toMatch(/^URGENT: the ledger check found 2 violation\(s\)/);
      expect(alerts[0]!.body).toContain(`Account ${wallet} holds`);
      expect(alerts[0]!.body).toContain("/admin/ops");

      const gauges = await scrape(registry);
      expect(gauges[LEDGER_CHECK_METRICS.ok]).toBe(0);
      expect(gauges[LEDGER_CHECK_METRICS.violations]).toBe(2);
      expect(gauges[LEDGER_CHECK_METRICS.lastRun]).toBeGreaterThan(Date.now() / 1000 - 60);
      // A database that does not answer leaves the gauges as they were and the scrape still succeeds.
      const unreachable = new Registry();
      registerLedgerCheckMetrics({ register: unreachable, db: () => { throw new Error("database down"); } });
      await expect(unreachable.metrics()).resolves.toContain(LEDGER_CHECK_METRICS.ok);

      const ops = await admin.admin.ops();
      expect(ops.ledgerCheck).toMatchObject({ ok: false, violationCount: 2 });
      expect(ops.ledgerCheck!.violations.map((v) => `${v.invariant}:${v.subject}`).sort()).toEqual(
        [`balance_differs_from_transfers:${funding}`, `balance_differs_from_transfers:${wallet}`].sort(),
      );
      expect(await admin.admin.ledgerAlert()).toMatchObject({ ok: false, violationCount: 2 });

      // The amounts moving do not make a new set; a new account in violation does, and alerts again.
      await seedUnbalancedTransfer(funding, wallet, 1);
      const ownerWallet = await tdb.db.ledgerAccount.create({
        data: { id: newId("acc"), key: `wallet:${p.ownerId}:USD`, kind: "wallet", currency: "USD", userId: p.ownerId, balanceMinor: 0n },
      });
      const before = (await runs()).length;
      await expect.poll(async () => (await runs()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);
      expect(await alertsSent()).toHaveLength(2);
      await seedUnbalancedTransfer(funding, ownerWallet.key, 5);
      await expect.poll(async () => (await alertsSent()).length, { timeout: 30_000 }).toBe(4);
      expect((await alertsSent())[2]!.subject).toMatch(/3 violation\(s\)/);
    } finally {
      await worker.stop();
    }

    // "Run now" from the page: recorded as manual, in the log; the same set raises no new alert.
    const admin = callerFor(ctx, moderators[1]!);
    const manual = await admin.admin.runLedgerCheck();
    expect(manual).toMatchObject({ ok: false, trigger: "manual", alerted: false, violationCount: 3 });
    expect(await alertsSent()).toHaveLength(4);
    expect(await tdb.db.moderationAction.findFirst({ where: { action: "run_ledger_check" } })).toMatchObject({
      moderatorId: moderators[1]!.id,
      targetId: manual.id,
    });
  });
});

describe("retry now and give up", () => {
  let receiver: http.Server;
  let receiverStatus = 500;
  const received: string[] = [];
  const allowLoopback = { policy: { allowedHosts: ["127.0.0.1"], requireHttps: false }, backoffS: [3_600] };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push(String(req.headers["webhook-id"]));
        res.writeHead(receiverStatus).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it("shows a failing webhook endpoint; retry now re-sends it, give up stops another; both are logged", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await tdb.db.agent.update({ where: { id: p.agentId }, data: { webhookUrl: url, webhookSecret: newWebhookSecret() } });
    // The customer pays two offers: each escrow.funded event is pushed to the agent's endpoint, which answers 500.
    for (const title of ["First", "Second"]) {
      const escrow = await offer(ctx, p, { title });
      await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    }
    await deliverDueWebhooks(tdb.db, allowLoopback);
    const admin = callerFor(ctx, moderators[0]!);
    const ops = await admin.admin.ops();
    const agent = await tdb.db.agent.findUniqueOrThrow({ where: { id: p.agentId } });
    expect(ops.webhooks.failingEndpoints).toEqual([
      expect.objectContaining({ agentId: p.agentId, handle: agent.handle, url, retrying: 2, failed: 0, lastStatusCode: 500 }),
    ]);
    const [first, second] = ops.webhooks.failing;
    expect(ops.webhooks).toMatchObject({ retrying: 2, due: 0 });
    expect(first).toMatchObject({ kind: "webhook", state: "retrying", attempts: 1 });

    receiverStatus = 200;
    received.length = 0;
    const retried = await admin.admin.retryDelivery({ kind: "webhook", id: first!.id });
    expect(retried).toMatchObject({ status: "pending" });
    expect(await tdb.db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: "pending" });
    await deliverDueWebhooks(tdb.db, allowLoopback);
    expect(received).toEqual([first!.id]); // only the retried one was due
    expect(await tdb.db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: "delivered", attempts: 2 });

    await admin.admin.giveUpDelivery({ kind: "webhook", id: second!.id, note: "endpoint retired" });
    const givenUp = await tdb.db.webhookDelivery.findUniqueOrThrow({ where: { id: second!.id } });
    expect(givenUp).toMatchObject({ status: "failed", lastError: "Given up by a moderator." });
    expect(givenUp.givenUpAt).not.toBeNull();
    await deliverDueWebhooks(tdb.db, { ...allowLoopback, now: () => new Date(Date.now() + 86_400_000) });
    expect(received).toEqual([first!.id]);
    expect((await admin.admin.ops()).webhooks).toMatchObject({ failing: [], failingEndpoints: [], failed: 0, retrying: 0 });

    const log = await admin.admin.auditLog({ targetId: first!.id });
    expect(log).toEqual([expect.objectContaining({ action: "retry_delivery", moderator_id: moderators[0]!.id, target_type: "webhook_delivery" })]);
    expect(log[0]!.note).toContain(url);
    const gaveUp = await admin.admin.auditLog({ action: "give_up_delivery" });
    expect(gaveUp).toEqual([expect.objectContaining({ target_id: second!.id, target_type: "webhook_delivery" })]);
    expect(gaveUp[0]!.note).toMatch(/endpoint retired$/);

    // Delivered and given-up items refuse both actions, writing nothing.
    const logged = await tdb.db.moderationAction.count();
    await expect(admin.admin.retryDelivery({ kind: "webhook", id: first!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin.admin.giveUpDelivery({ kind: "webhook", id: second!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin.admin.retryDelivery({ kind: "webhook", id: "whd_none" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin.admin.retryDelivery({ kind: "outbox", id: "not-a-number" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // 19 digits past a bigint's maximum: no such row, not the database's out-of-range error (a 500).
    await expect(admin.admin.retryDelivery({ kind: "outbox", id: "9999999999999999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin.admin.giveUpDelivery({ kind: "outbox", id: "9223372036854775808" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await tdb.db.moderationAction.count()).toBe(logged);
  });

  it("retries a failed notification and gives up an Inngest outbox row", async () => {
    const admin = callerFor(ctx, moderators[1]!);
    const notification = await tdb.db.notification.create({
      data: { id: newId("ntf"), channel: "email", address: "someone@test", template: "review_reminder", subject: "s", body: "code 123456", dedupeKey: newId("ntf"), status: "failed", attempts: 8, lastError: "SMTP down", nextAttemptAt: new Date(Date.now() - 3_600_000) },
    });
    const outbox = await tdb.db.outboxMessage.create({
      data: { topic: "escrow.changed", payload: { escrow_id: "esc_x", version: 2 }, attempts: 3, lastError: "inngest is down", availableAt: new Date(Date.now() + 300_000) },
    });
    const ops = await operationsOverview(ctx, { timerEngine: "inngest" });
    const listed = ops.notifications.failing.find((n) => n.id === notification.id);
    expect(listed).toMatchObject({ state: "failed", lastError: "SMTP down", target: "email someone@test" });
    expect(JSON.stringify(listed)).not.toContain("123456"); // the text is never shown
    expect(ops.outbox?.failing).toEqual([expect.objectContaining({ kind: "outbox", id: outbox.id.toString(), attempts: 3 })]);
    expect((await operationsOverview(ctx, { timerEngine: "embedded" })).outbox).toBeNull();

    const before = Date.now();
    await admin.admin.retryDelivery({ kind: "notification", id: notification.id });
    const retried = await tdb.db.notification.findUniqueOrThrow({ where: { id: notification.id } });
    expect(retried.status).toBe("pending");
    expect(retried.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1);

    await admin.admin.giveUpDelivery({ kind: "outbox", id: outbox.id.toString() });
    const gone = await tdb.db.outboxMessage.findUniqueOrThrow({ where: { id: outbox.id } });
    expect(gone.processedAt).not.toBeNull();
    expect(gone.givenUpAt).not.toBeNull();
    expect((await operationsOverview(ctx, { timerEngine: "inngest" })).outbox?.failing).toEqual([]);

    const entries = await tdb.db.moderationAction.findMany({ where: { targetId: { in: [notification.id, outbox.id.toString()] } }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.action, e.targetType, e.moderatorId])).toEqual([
      ["retry_delivery", "notification", moderators[1]!.id],
      ["give_up_delivery", "outbox", moderators[1]!.id],
    ]);
  });

  it("lists worker heartbeats per process and marks a process that stopped beating", async () => {
    const now = Date.now();
    const beat = (processId: string, worker: string, agoS: number) =>
      tdb.db.workerHeartbeat.create({
        data: { processId, worker, host: processId.split(":")[0]!, pid: Number(processId.split(":")[1]), startedAt: new Date(now - 3_600_000), beatAt: new Date(now - agoS * 1000) },
      });
    await beat("web-1:11:aaaa", "webhooks", 3);
    await beat("web-1:11:aaaa", "scheduler", 20);
    await beat("web-2:22:bbbb", "webhooks", 600);
    // (This test process's own ledger-check worker beat too, above: only the two seeded processes are compared.)
    const processes = (await callerFor(ctx, moderators[0]!).admin.ops()).processes.filter((p) => p.host.startsWith("web-"));
    expect(processes.map((p) => [p.host, p.pid, p.silent, p.workers.map((w) => w.worker).sort()])).toEqual([
      ["web-1", 11, false, ["scheduler", "webhooks"]],
      ["web-2", 22, true, ["webhooks"]],
    ]);
  });

  it("reports timers due but not fired and how late the oldest is", async () => {
    const escrow = await offer(ctx, p, { title: "Timer" });
    await tdb.db.escrowTimer.updateMany({ where: { escrowId: escrow.id }, data: { fireAt: new Date(Date.now() - 120_000) } });
    const ops = await callerFor(ctx, moderators[0]!).admin.ops();
    expect(ops.timers.dueUnfired).toBeGreaterThanOrEqual(1);
    expect(ops.timers.oldestDueLatenessS).toBeGreaterThanOrEqual(119);
  });
});
