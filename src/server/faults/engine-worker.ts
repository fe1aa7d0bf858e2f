// A child process for the fault tests: runs escrow lifecycles through the real
// engine against DATABASE_URL with many commands in flight at once (racing
// approve against dispute, proposals against acceptances), forever, until it
// is killed. Parties come from FAULT_PARTIES (JSON), made by the test.
import { createDb } from "~/server/db/client";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { deliverArtifact, offer, testContext, type Parties } from "~/test/engine-fixtures";
import { inTransaction } from "~/server/db/transaction";

const url = process.env.DATABASE_URL;
const parties = JSON.parse(process.env.FAULT_PARTIES ?? "[]") as (Parties & { moderatorId: string })[];
const concurrency = Number(process.env.FAULT_CONCURRENCY ?? 8);
if (!url || parties.length === 0) throw new Error("DATABASE_URL and FAULT_PARTIES are required");

const db = createDb(url, { maxConnections: concurrency * 2 });
const ctx = testContext(db, { now: () => new Date(), advanceSeconds() {}, set() {} }, 1000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const quietly = (p: Promise<unknown>) => p.catch(() => undefined);

async function lifecycle(p: Parties & { moderatorId: string }) {
  const customer = { kind: "customer", userId: p.customerId } as const;
  const agent = { kind: "agent", agentId: p.agentId } as const;
  const moderator = { kind: "moderator", userId: p.moderatorId } as const;
  const amountMinor = 100 + Math.floor(Math.random() * 5_000);
  const escrow = await offer(ctx, p, { amountMinor });
  const id = escrow.id;
  if (Math.random() < 0.1) return quietly(Promise.all([runEscrowCommand(ctx, id, customer, { command: "decline" }), runEscrowCommand(ctx, id, agent, { command: "cancel" })]));
  // Two accepts at once: one funds, the other loses.
  await Promise.allSettled([runEscrowCommand(ctx, id, customer, { command: "accept" }), runEscrowCommand(ctx, id, customer, { command: "accept" })]);
  if (Math.random() < 0.15) return quietly(runEscrowCommand(ctx, id, agent, { command: "cancel" }));
  await deliverArtifact(ctx, p, id);
  await Promise.allSettled([runEscrowCommand(ctx, id, agent, { command: "complete" }), runEscrowCommand(ctx, id, agent, { command: "complete" })]);
  // The customer's approve races their own dispute (two tabs).
  await Promise.allSettled([
    runEscrowCommand(ctx, id, customer, { command: "approve" }),
    runEscrowCommand(ctx, id, customer, { command: "dispute", reason: "not what I asked" }),
  ]);
  const next = pick(["agree_refund", "defend", "defend", "defend"] as const);
  if (next === "agree_refund") return quietly(runEscrowCommand(ctx, id, agent, { command: "agree_refund" }));
  await quietly(runEscrowCommand(ctx, id, agent, { command: "defend", explanation: "it matches the brief" }));
  await quietly(runEscrowCommand(ctx, id, customer, { command: "propose_settlement", refundAmountMinor: Math.max(1, Math.floor(amountMinor / 3)) }));
  const settlement = await db.settlement.findFirst({ where: { escrowId: id, status: "open" } });
  await Promise.allSettled([
    settlement ? runEscrowCommand(ctx, id, agent, { command: "accept_settlement", settlementId: settlement.id }) : Promise.resolve(),
    runEscrowCommand(ctx, id, customer, { command: "escalate" }),
    runEscrowCommand(ctx, id, agent, { command: "agree_refund" }),
  ]);
  const outcome = pick(["release", "refund", "split"] as const);
  await quietly(
    runEscrowCommand(ctx, id, moderator, {
      command: "decide",
      outcome,
      note: "decided under load",
      ...(outcome === "split" ? { refundAmountMinor: Math.max(1, Math.floor(amountMinor / 2)) } : {}),
    } as never),
  );
}

async function loop() {
  for (;;) {
    await lifecycle(pick(parties)).catch((error: unknown) => {
      // Only expected refusals are swallowed above; anything else is worth a line in the test log.
      process.stderr.write(`lifecycle error: ${String(error)}\n`);
    });
  }
}

await inTransaction(db, async () => undefined);
process.stdout.write("ready\n");
await Promise.all(Array.from({ length: concurrency }, loop));
