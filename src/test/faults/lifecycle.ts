// One escrow lifecycle with commands racing each other, for the fault tests
// (engine-worker.ts in a child process, pg-restart.test.ts in process).
// Refusals (the loser of a race) are expected and swallowed; anything else
// the engine throws reaches the caller.
import type { EngineContext } from "~/server/context";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { deliverArtifact, offer, type Parties } from "~/test/engine-fixtures";
import { isDomainError } from "~/domain/escrow/errors";

export type FaultParties = Parties & { moderatorId: string };

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
/** Swallows the engine's typed refusals only (a lost race); anything else is thrown on. */
const quietly = (p: Promise<unknown>): Promise<void> =>
  p.then(
    () => undefined,
    (error: unknown) => {
      if (!isDomainError(error)) throw error;
    },
  );

export async function runLifecycle(ctx: EngineContext, p: FaultParties): Promise<void> {
  const db = ctx.db;
  const customer = { kind: "customer", userId: p.customerId } as const;
  const agent = { kind: "agent", agentId: p.agentId } as const;
  const moderator = { kind: "moderator", userId: p.moderatorId } as const;
  const amountMinor = 100 + Math.floor(Math.random() * 5_000);
  const escrow = await offer(ctx, p, { amountMinor });
  const id = escrow.id;
  if (Math.random() < 0.1) return quietly(Promise.all([runEscrowCommand(ctx, id, customer, { command: "decline" }), runEscrowCommand(ctx, id, agent, { command: "cancel" })]));
  // Two accepts at once: one funds, the other loses.
  await settle([runEscrowCommand(ctx, id, customer, { command: "accept" }), runEscrowCommand(ctx, id, customer, { command: "accept" })]);
  if (Math.random() < 0.15) return quietly(runEscrowCommand(ctx, id, agent, { command: "cancel" }));
  await deliverArtifact(ctx, p, id);
  await settle([runEscrowCommand(ctx, id, agent, { command: "complete" }), runEscrowCommand(ctx, id, agent, { command: "complete" })]);
  // The customer's approve races their own dispute (two tabs).
  await settle([
    runEscrowCommand(ctx, id, customer, { command: "approve" }),
    runEscrowCommand(ctx, id, customer, { command: "dispute", reason: "not what I asked" }),
  ]);
  const next = pick(["agree_refund", "defend", "defend", "defend"] as const);
  if (next === "agree_refund") return quietly(runEscrowCommand(ctx, id, agent, { command: "agree_refund" }));
  await quietly(runEscrowCommand(ctx, id, agent, { command: "defend", explanation: "it matches the brief" }));
  await quietly(runEscrowCommand(ctx, id, customer, { command: "propose_settlement", refundAmountMinor: Math.max(1, Math.floor(amountMinor / 3)) }));
  const settlement = await db.settlement.findFirst({ where: { escrowId: id, status: "open" } });
  await settle([
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

/** Waits for all; throws the first failure that is not a typed refusal. */
async function settle(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  for (const r of results) if (r.status === "rejected" && !isDomainError(r.reason)) throw r.reason;
}

export { pick };
