// Building blocks for engine tests on a real database: people, agents,
// conversations, offers in any state, and a clock the test moves.
import type { EngineContext } from "~/server/context";
import type { Db } from "~/server/db/client";
import { inTransaction } from "~/server/db/transaction";
import { newId } from "~/server/ids";
import { addTestFunds } from "~/server/ledger/wallet";
import { createOffer, type OfferInput } from "~/server/escrow/create-offer";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { insertArtifact } from "~/server/artifacts/record";
import { postAgentMessage } from "~/server/conversations/messages";
import { DEFAULT_TIME_WINDOWS } from "~/domain/escrow/decide";
import { DEFAULT_TIER_POLICIES, type RiskTier, type TierPolicy } from "~/domain/risk";

export interface TestClock {
  now: () => Date;
  advanceSeconds(seconds: number): void;
  set(at: Date): void;
}

export function testClock(start = new Date("2026-01-05T10:00:00.000Z")): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advanceSeconds(seconds) {
      current = new Date(current.getTime() + seconds * 1000);
    },
    set(at) {
      current = new Date(at);
    },
  };
}

/** Tier caps as in production; payout holds off unless a test asks (the hold tests do). */
export const NO_HOLD_POLICIES: Readonly<Record<RiskTier, TierPolicy>> = Object.fromEntries(
  Object.entries(DEFAULT_TIER_POLICIES).map(([tier, policy]) => [tier, { ...policy, payoutHoldS: 0 }]),
) as Record<RiskTier, TierPolicy>;

/**
 * No tier caps (and no holds): for tests of the engine's lifecycle and crash safety that make offers of
 * any size and many at once for one agent; the limits have their own tests (src/server/risk/limits.test.ts).
 */
export const UNCAPPED_POLICIES: Readonly<Record<RiskTier, TierPolicy>> = Object.fromEntries(
  Object.keys(DEFAULT_TIER_POLICIES).map((tier) => [
    tier,
    { maxEscrowMinor: Number.MAX_SAFE_INTEGER, maxOpenMinor: Number.MAX_SAFE_INTEGER, payoutHoldS: 0 },
  ]),
) as Record<RiskTier, TierPolicy>;

export function testContext(
  db: Db,
  clock: TestClock,
  feeBps = 1000,
  riskPolicies: Readonly<Record<RiskTier, TierPolicy>> = NO_HOLD_POLICIES,
): EngineContext {
  // No signal actions either: the fixtures deliver the same tiny file to one buyer, which is a signal.
  return { db, now: clock.now, config: { feeBps, windows: DEFAULT_TIME_WINDOWS, riskPolicies, signalActions: [] } };
}

export interface Parties {
  customerId: string;
  ownerId: string;
  agentId: string;
  conversationId: string;
  serviceId: string;
}

let counter = 0;
export async function createParties(db: Db, options: { contract?: object | null } = {}): Promise<Parties> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const customerId = newId("usr");
  const ownerId = newId("usr");
  const agentId = newId("agt");
  const conversationId = newId("cnv");
  const serviceId = newId("svc");
  await inTransaction(db, async (tx) => {
    await tx.user.create({ data: { id: customerId, email: `c-${n}@test`, displayName: "Customer", role: "customer" } });
    await tx.user.create({ data: { id: ownerId, email: `o-${n}@test`, displayName: "Owner", role: "owner" } });
    await tx.agent.create({ data: { id: agentId, ownerId, handle: `agent-${n}`, displayName: "Agent" } });
    await tx.service.create({
      data: {
        id: serviceId,
        agentId,
        title: "Logo",
        priceMinor: 2500n,
        currency: "USD",
        deliveryInHours: 24,
        ...(options.contract ? { artifactContract: options.contract } : {}),
      },
    });
    await tx.conversation.create({ data: { id: conversationId, agentId, customerId } });
  });
  return { customerId, ownerId, agentId, conversationId, serviceId };
}

export async function offer(ctx: EngineContext, p: Parties, overrides: Partial<OfferInput> = {}) {
  return createOffer(ctx, p.agentId, {
    conversationId: p.conversationId,
    title: "Logo design",
    amountMinor: 2500,
    currency: "USD",
    serviceId: p.serviceId,
    ...overrides,
  });
}

export async function fund(ctx: EngineContext, userId: string, amountMinor: number) {
  await addTestFunds(ctx, userId, "USD", amountMinor);
}

/** The agent uploads an artifact and sends it in a message tied to the escrow. */
export async function deliverArtifact(
  ctx: EngineContext,
  p: Parties,
  escrowId: string | null,
  artifact: { kind: "image" | "data" | "file" | "audio"; mimeType: string; data?: unknown } = {
    kind: "image",
    mimeType: "image/png",
  },
) {
  return inTransaction(ctx.db, async (tx) => {
    const stored = await insertArtifact(tx, {
      agentId: p.agentId,
      kind: artifact.kind,
      mimeType: artifact.mimeType,
      name: artifact.kind === "data" ? "report.json" : "logo.png",
      ...(artifact.data !== undefined ? { data: artifact.data } : { bytes: new Uint8Array([137, 80, 78, 71]) }),
      now: ctx.now(),
    });
    await postAgentMessage(tx, {
      agentId: p.agentId,
      conversationId: p.conversationId,
      text: "Here is your delivery.",
      artifactIds: [stored.id],
      escrowId,
      now: ctx.now(),
    });
    return stored.id;
  });
}

/** An escrow that is funded (active), with the customer's wallet topped up first. */
export async function activeEscrow(ctx: EngineContext, p: Parties, amountMinor = 2500) {
  await fund(ctx, p.customerId, amountMinor);
  const escrow = await offer(ctx, p, { amountMinor });
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
  return escrow;
}

export async function deliveredEscrow(ctx: EngineContext, clock: TestClock, p: Parties, amountMinor = 2500) {
  const escrow = await activeEscrow(ctx, p, amountMinor);
  clock.advanceSeconds(60);
  await deliverArtifact(ctx, p, escrow.id);
  clock.advanceSeconds(1);
  await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
  return escrow;
}
