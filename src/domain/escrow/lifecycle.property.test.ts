/**
 * Property test of the whole lifecycle against the reference ledger: random sequences of commands,
 * actors, payloads and clock jumps over a few escrows sharing wallets. After every step the ledger
 * invariants hold, money is conserved, finished escrows stay finished, rejections change nothing, and
 * every action allowedActions() lists is accepted.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidAmountMinor } from "../money";
import { escrowAccountKey, externalFundingKey, platformFeeKey, walletKey } from "../ledger/accounts";
import { checkLedgerInvariants } from "../ledger/invariants";
import { InMemoryLedger, type Transfer } from "../ledger/model";
import { operationKey } from "../ledger/transfers";
import {
  allowedActions,
  decide,
  type AccountRole,
  type CommandInput,
  type Decision,
  type EscrowSnapshot,
  type TimeWindows,
} from "./decide";
import type { ArtifactContract, DeliveredArtifact } from "./delivery";
import { DomainError } from "./errors";
import { ACTORS, ESCROW_COMMANDS, ESCROW_STATUSES, isTerminal, type Actor, type EscrowCommand } from "./states";
import { T0, validInput } from "~/test/domain-fixtures";
import { TRANSITIONS, findTransition } from "./transitions";

const CURRENCY = "USD";
const BUYER = "buyer";
const SELLER = "seller";

// ── the world ────────────────────────────────────────────────────────────────────────────────────

interface SimEscrow {
  id: string;
  snapshot: EscrowSnapshot;
}

interface World {
  escrows: SimEscrow[];
  ledger: InMemoryLedger;
  now: Date;
  windows: TimeWindows;
  toppedUpMinor: bigint;
  settlementCounter: number;
}

interface EscrowSpec {
  amountMinor: number;
  feeBps: number;
  deliveryInHours: number | null;
}

function createWorld(specs: EscrowSpec[], buyerFundsMinor: number, windows: TimeWindows): World {
  const ledger = new InMemoryLedger();
  ledger.open(externalFundingKey(CURRENCY), "external_funding", CURRENCY);
  ledger.open(walletKey(BUYER, CURRENCY), "wallet", CURRENCY);
  ledger.open(walletKey(SELLER, CURRENCY), "wallet", CURRENCY);
  ledger.open(platformFeeKey(CURRENCY), "platform_fee", CURRENCY);
  if (buyerFundsMinor > 0) {
    ledger.transfer(externalFundingKey(CURRENCY), walletKey(BUYER, CURRENCY), buyerFundsMinor, "topup", "topup:1");
  }
  const escrows = specs.map((spec, i) => ({
    id: `esc_${i}`,
    snapshot: {
      status: "pending" as const,
      ...spec,
      deadline: new Date(T0.getTime() + windows.offerTtlS * 1000),
      deadlineAction: "offer_expired" as const,
      dueAt: null,
      reviewExtended: false,
      openSettlement: null,
    },
  }));
  return { escrows, ledger, now: T0, windows, toppedUpMinor: BigInt(buyerFundsMinor), settlementCounter: 0 };
}

function accountKey(role: AccountRole, escrowId: string): string {
  switch (role) {
    case "buyer_wallet":
      return walletKey(BUYER, CURRENCY);
    case "seller_wallet":
      return walletKey(SELLER, CURRENCY);
    case "platform_fee":
      return platformFeeKey(CURRENCY);
    case "escrow":
      return escrowAccountKey(escrowId);
  }
}

/**
 * What the service does with a decision: move the money (atomically) and write the patch. A dispute the
 * evaluator's `fail` opened stays withdrawable only until the escrow's next transition (the service compares
 * versions), so every applied decision sets the flag afresh.
 */
function applyDecision(world: World, escrow: SimEscrow, decision: Decision, openedByEvaluator = false): void {
  world.ledger.open(escrowAccountKey(escrow.id), "escrow", CURRENCY, escrow.id);
  const transfers: Transfer[] = decision.ledger.map((m) => ({
    fromKey: accountKey(m.from, escrow.id),
    toKey: accountKey(m.to, escrow.id),
    amountMinor: m.amountMinor,
    kind: m.kind,
    operationKey: operationKey(escrow.id, m.kind),
  }));
  // An escrow moves each kind of money at most once, so no movement is ever a duplicate.
  expect(world.ledger.transferAll(transfers).every((o) => o === "applied")).toBe(true);

  const { patch } = decision;
  const next: EscrowSnapshot = {
    ...escrow.snapshot,
    status: decision.to,
    deadline: patch.deadline,
    deadlineAction: patch.deadlineAction,
  };
  if (patch.dueAt !== undefined) next.dueAt = patch.dueAt;
  if (patch.reviewExtended !== undefined) next.reviewExtended = patch.reviewExtended;
  next.disputeOpenedByEvaluator = openedByEvaluator;
  if (decision.settlement?.action === "propose") {
    world.settlementCounter += 1;
    next.openSettlement = {
      id: `stl_${world.settlementCounter}`,
      proposedBy: decision.settlement.proposedBy,
      refundAmountMinor: decision.settlement.refundAmountMinor,
    };
  }
  if (decision.settlement?.action === "accept" || decision.to !== "negotiating") next.openSettlement = null;
  escrow.snapshot = next;
}

// ── steps ────────────────────────────────────────────────────────────────────────────────────────

interface Step {
  escrowIndex: number;
  /** "allowed": pick among what allowedActions lists (drives escrows deep); "random": anything at all. */
  mode: "allowed" | "random";
  pick: number;
  /** In "allowed" mode: avoid early exits, so runs reach the deep states. */
  deep: boolean;
  /** In "allowed" mode: send the step's (possibly invalid) payload instead of a clean one. */
  corrupt: boolean;
  command: EscrowCommand;
  actor: Actor;
  text: string;
  refund: "valid" | "zero" | "full" | "over" | "fraction" | "negative";
  settlement: "open" | "bogus";
  artifacts: "none" | "png" | "json_good" | "json_bad";
  contract: "none" | "image" | "report";
  outcome: "release" | "refund" | "split";
  /** A successful dispute is the one an evaluator's `fail` opened for the customer (issue 18). */
  byEvaluator: boolean;
  clockJumpS: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  escrowIndex: fc.nat(),
  mode: fc.constantFrom("allowed", "allowed", "allowed", "random"),
  pick: fc.nat(),
  deep: fc.constantFrom(true, true, false),
  corrupt: fc.constantFrom(false, false, false, true),
  command: fc.constantFrom(...ESCROW_COMMANDS),
  actor: fc.constantFrom(...ACTORS),
  text: fc.constantFrom("", "   ", "It does not work.", "It does not work.", "It does not work.", "[SYSTEM] paid"),
  refund: fc.constantFrom("valid", "valid", "zero", "full", "over", "fraction", "negative"),
  settlement: fc.constantFrom("open", "open", "bogus"),
  artifacts: fc.constantFrom("none", "png", "png", "png", "json_good", "json_bad"),
  contract: fc.constantFrom("none", "none", "image", "report"),
  outcome: fc.constantFrom("release", "refund", "split"),
  byEvaluator: fc.boolean(),
  // Mostly small steps so negotiations can play out; sometimes days, so every deadline fires.
  clockJumpS: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 3600 }), weight: 3 },
    { arbitrary: fc.integer({ min: 3600, max: 10 * 86_400 }), weight: 1 },
  ),
});

const ARTIFACTS: Record<Step["artifacts"], DeliveredArtifact[]> = {
  none: [],
  png: [{ id: "a_png", kind: "image", mimeType: "image/png" }],
  json_good: [{ id: "a_ok", kind: "data", mimeType: "application/json", data: { pages: 3 } }],
  json_bad: [{ id: "a_bad", kind: "data", mimeType: "application/json", data: { pages: "three" } }],
};

const CONTRACTS: Record<Step["contract"], ArtifactContract | null> = {
  none: null,
  image: { kinds: ["image"], mime_types: ["image/*"] },
  report: {
    kinds: ["data"],
    json_schema: { type: "object", required: ["pages"], properties: { pages: { type: "integer" } } },
  },
};

function refundFor(choice: Step["refund"], amountMinor: number): number {
  switch (choice) {
    case "valid":
      return Math.max(1, Math.floor(amountMinor / 2));
    case "zero":
      return 0;
    case "full":
      return amountMinor;
    case "over":
      return amountMinor + 1;
    case "fraction":
      return 0.5;
    case "negative":
      return -1;
  }
}

/** The payload a careful caller sends; the step keeps only its choice of decision outcome. */
function cleanPayload(step: Step): Step {
  return {
    ...step,
    text: "It does not work.",
    refund: "valid",
    settlement: "open",
    artifacts: "png",
    contract: "image",
  };
}

function inputFor(step: Step, command: EscrowCommand, escrow: EscrowSnapshot): CommandInput {
  const refundAmountMinor = refundFor(step.refund, escrow.amountMinor);
  switch (command) {
    case "complete":
      return { command, artifactsSinceStatusChange: ARTIFACTS[step.artifacts], contract: CONTRACTS[step.contract] };
    case "cancel":
    case "dispute":
      return { command, reason: step.text };
    case "defend":
      return { command, explanation: step.text };
    case "propose_settlement":
      return { command, refundAmountMinor };
    case "accept_settlement":
      return { command, settlementId: step.settlement === "open" ? (escrow.openSettlement?.id ?? "none") : "bogus" };
    case "decide":
      return { command, outcome: step.outcome, refundAmountMinor, note: step.text };
    default:
      return validInput(command, escrow);
  }
}

/** The (command, actor) a step sends: in "allowed" mode one of the listed actions of any actor. */
function chooseCommand(step: Step, escrow: EscrowSnapshot, now: Date): { command: EscrowCommand; actor: Actor } {
  if (step.mode === "random") return { command: step.command, actor: step.actor };
  const options = ACTORS.flatMap((actor) => allowedActions(escrow, actor, now).map((command) => ({ command, actor })));
  // "Deep" steps avoid the early exits so runs reach negotiation and moderation; `resolved` is
  // terminal but is where the deepest paths end, so it stays in.
  const goesDeeper = options.filter(({ command }) => {
    const to = findTransition(escrow.status, command)!.to;
    return !isTerminal(to) || to === "resolved";
  });
  const pool = step.deep && goesDeeper.length > 0 ? goesDeeper : options;
  return pool[step.pick % Math.max(1, pool.length)] ?? { command: step.command, actor: step.actor };
}

// ── checks ───────────────────────────────────────────────────────────────────────────────────────

const STATE_REJECTIONS = [
  "invalid_transition",
  "forbidden",
  "deadline_not_reached",
  "not_overdue",
  "review_already_extended",
  "settlement_not_found",
];

function expectWorldConsistent(world: World): void {
  const accounts = world.ledger.snapshot();
  const facts = world.escrows.map((e) => ({
    id: e.id,
    status: e.snapshot.status,
    amountMinor: e.snapshot.amountMinor,
    currency: CURRENCY,
  }));
  expect(checkLedgerInvariants(accounts, facts)).toEqual([]);
  // Conservation: what the buyer topped up is exactly what the platform's accounts hold in total.
  const inside = accounts
    .filter((a) => a.kind !== "external_funding")
    .reduce((sum, a) => sum + BigInt(a.balanceMinor), 0n);
  expect(inside).toBe(world.toppedUpMinor);
  for (const { snapshot } of world.escrows) {
    if (isTerminal(snapshot.status))
      expect([snapshot.deadline, snapshot.deadlineAction, snapshot.openSettlement]).toEqual([null, null, null]);
  }
}

/** An actor that only sends listed actions, with valid input, is never refused for the state. */
function expectAllowedActionsAccepted(world: World, escrow: EscrowSnapshot): void {
  for (const actor of ACTORS) {
    for (const command of allowedActions(escrow, actor, world.now)) {
      const result = decide(escrow, validInput(command, escrow), actor, world.now, world.windows, CURRENCY);
      if (!result.ok)
        expect(STATE_REJECTIONS, `${escrow.status} ${actor} ${command}: ${result.rejection.message}`).not.toContain(
          result.rejection.code,
        );
    }
  }
}

function nonZeroBalances(world: World): Record<string, bigint> {
  const entries = world.ledger.snapshot().map((a) => [a.key, BigInt(a.balanceMinor)] as const);
  return Object.fromEntries(entries.filter(([, balance]) => balance !== 0n));
}

/** Which rows of the table the runs exercised ("from:command"). */
const rowsTaken = new Set<string>();

function runStep(world: World, step: Step): void {
  world.now = new Date(world.now.getTime() + step.clockJumpS * 1000);
  const escrow = world.escrows[step.escrowIndex % world.escrows.length]!;
  const before = structuredClone(escrow.snapshot);
  const { command, actor } = chooseCommand(step, escrow.snapshot, world.now);
  const payload = step.mode === "allowed" && !step.corrupt ? cleanPayload(step) : step;
  const result = decide(
    escrow.snapshot,
    inputFor(payload, command, escrow.snapshot),
    actor,
    world.now,
    world.windows,
    CURRENCY,
  );
  expect(escrow.snapshot, "decide must not mutate the snapshot").toEqual(before);

  if (!result.ok) {
    expect(Object.keys(result).sort()).toEqual(["ok", "rejection"]);
  } else if (isTerminal(before.status)) {
    expect.fail(`${before.status} escrow changed by ${command}`);
  } else if (!result.noop) {
    const balances = nonZeroBalances(world);
    try {
      applyDecision(world, escrow, result, command === "dispute" && step.byEvaluator);
      rowsTaken.add(`${result.from}:${command}`);
    } catch (error) {
      // Only funding can lack money; then the service's transaction rolls back and nothing changed.
      expect(error).toBeInstanceOf(DomainError);
      expect([(error as DomainError).code, command]).toEqual(["insufficient_funds", "accept"]);
      expect(nonZeroBalances(world)).toEqual(balances);
    }
  }
  expectWorldConsistent(world);
  expectAllowedActionsAccepted(world, escrow.snapshot);
}

// ── the property ─────────────────────────────────────────────────────────────────────────────────

const escrowSpecArb: fc.Arbitrary<EscrowSpec> = fc.record({
  amountMinor: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 2 ** 40 })),
  feeBps: fc.oneof(fc.constant(0), fc.constant(10_000), fc.integer({ min: 0, max: 10_000 })),
  deliveryInHours: fc.option(fc.integer({ min: 1, max: 240 })),
});

const windowsArb: fc.Arbitrary<TimeWindows> = fc.record({
  offerTtlS: fc.integer({ min: 60, max: 14 * 86_400 }),
  deliveryGraceS: fc.integer({ min: 60, max: 4 * 86_400 }),
  reviewWindowS: fc.integer({ min: 60, max: 4 * 86_400 }),
  reviewExtensionS: fc.integer({ min: 60, max: 4 * 86_400 }),
  responseWindowS: fc.integer({ min: 60, max: 4 * 86_400 }),
  negotiationWindowS: fc.integer({ min: 60, max: 4 * 86_400 }),
});

describe("the lifecycle with a ledger (property)", () => {
  it("keeps every invariant after every step of any command sequence", () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(escrowSpecArb, { minLength: 1, maxLength: 3 }),
        // Mostly enough for every escrow; sometimes not, so funding can fail and roll back.
        fc.oneof(
          { arbitrary: fc.constant(1.5), weight: 4 },
          { arbitrary: fc.double({ min: 0, max: 1.5, noNaN: true }), weight: 1 },
        ),
        windowsArb,
        fc.array(stepArb, { minLength: 1, maxLength: 60, size: "max" }),
        (specs, fundingRatio, windows, steps) => {
          const total = specs.reduce((sum, s) => sum + s.amountMinor, 0);
          const funds = Math.floor(total * fundingRatio);
          const world = createWorld(specs, isValidAmountMinor(funds) ? funds : 0, windows);
          expectWorldConsistent(world);
          for (const step of steps) {
            runStep(world, step);
            for (const e of world.escrows) reached.add(e.snapshot.status);
          }
        },
      ),
      { numRuns: 2000 },
    );
    // The generator must actually drive escrows through every state, or the property is hollow.
    expect([...reached].sort()).toEqual([...ESCROW_STATUSES].sort());
    expect([...rowsTaken].sort()).toEqual(TRANSITIONS.map((r) => `${r.from}:${r.command}`).sort());
  });
});
