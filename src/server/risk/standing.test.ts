// Issue 17 item 5 for the standing: the figures the collusion signals are measured on (funded, self-dealing,
// customer messages, deliveries, trivial deliveries, reused files, completed, auto-released) are kept by
// triggers in the transaction that changes the facts (migration s2_agent_standings), no longer recomputed
// from the agent's whole history on every read. Proven here: after random lifecycles over several agents the
// stored figures equal a from-scratch recomputation by the statement every read used to run (kept below as
// the reference definition); the migration's backfill gives the same figures from the history alone; and
// reading the standing touches one row per table whatever the history.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { TRIVIAL_ARTIFACT_BYTES } from "~/domain/signals";
import { databaseForThisFile } from "~/test/db";
import { createParties, fund, offer, testClock, type Parties, type TestClock } from "~/test/engine-fixtures";
import { timerTestContext } from "~/test/timer-fixtures";
import { createUser } from "~/test/users";
import { insertArtifact } from "../artifacts/record";
import type { EngineContext } from "../context";
import { postAgentMessage, postCustomerMessage } from "../conversations/messages";
import { Prisma } from "../db/generated/client";
import { inTransaction } from "../db/transaction";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { fireDueTimerBatch } from "../jobs/fire-timer";
import { AGENT_RECORD_COLUMNS } from "../reputation/record";
import { AGENT_STANDING_COLUMNS, AGENT_STANDING_JOIN, agentStanding, sellingAgentStandings, type StandingFigures } from "./standing";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

/**
 * The reference definition: the statement the standing was read with before the counters (src/server/risk/
 * standing.ts until issue 17 item 5), recomputing every figure from the agent's whole history.
 */
const recomputedFrom = (agentId: string) => Prisma.sql`
  SELECT standing.* FROM agents a
  LEFT JOIN LATERAL (
    WITH funded AS (
      SELECT e.id, e.conversation_id, e.status, e.customer_id FROM escrows e
       WHERE e.agent_id = a.id AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
    ), deliveries AS (
      SELECT m.escrow_id, max(ar.size_bytes) AS max_size
        FROM artifacts ar JOIN messages m ON m.id = ar.message_id
       WHERE ar.agent_id = a.id AND m.escrow_id IS NOT NULL AND m.role = 'agent'
       GROUP BY m.escrow_id
    )
    SELECT (SELECT count(*) FROM funded)::int AS funded,
           (SELECT count(*) FROM funded f WHERE f.customer_id = a.owner_id)::int AS self_dealing,
           (SELECT count(*) FROM messages m
             WHERE m.role = 'customer' AND m.conversation_id IN (SELECT conversation_id FROM funded))::int AS customer_messages,
           (SELECT count(*) FROM deliveries)::int AS deliveries,
           (SELECT count(*) FROM deliveries WHERE max_size < ${TRIVIAL_ARTIFACT_BYTES})::int AS trivial_deliveries,
           (SELECT COALESCE(max(n), 0) FROM (
              SELECT count(DISTINCT m.escrow_id) AS n
                FROM artifacts ar JOIN messages m ON m.id = ar.message_id
               WHERE ar.agent_id = a.id AND m.escrow_id IS NOT NULL
               GROUP BY ar.sha256) per_file)::int AS reused,
           (SELECT count(*) FROM funded f WHERE f.status = 'completed')::int AS completed,
           (SELECT count(*) FROM funded f WHERE f.status = 'completed' AND EXISTS (
              SELECT 1 FROM escrow_events ev WHERE ev.escrow_id = f.id AND ev.to_status = 'completed' AND ev.command = 'auto_release'))::int AS auto_released
  ) standing ON true
  WHERE a.id = ${agentId}`;

type Figures = StandingFigures;

/** The agent's row in agent_standings itself (zeros when it has none). */
async function counters(agentId: string): Promise<Figures> {
  const [row] = await tdb.db.$queryRaw<Figures[]>`
    SELECT COALESCE(s.funded, 0) AS funded, COALESCE(s.self_dealing, 0) AS self_dealing, COALESCE(s.customer_messages, 0) AS customer_messages,
           COALESCE(s.deliveries, 0) AS deliveries, COALESCE(s.trivial_deliveries, 0) AS trivial_deliveries, COALESCE(s.reused, 0) AS reused,
           COALESCE(s.completed, 0) AS completed, COALESCE(s.auto_released, 0) AS auto_released
      FROM agents a LEFT JOIN agent_standings s ON s.agent_id = a.id WHERE a.id = ${agentId}`;
  return row!;
}

async function recomputed(agentId: string): Promise<Figures> {
  const [row] = await tdb.db.$queryRaw<Figures[]>(recomputedFrom(agentId));
  return row!;
}

/** The figures as every reader now reads them (the production columns), the clearing review left out. */
async function stored(agentId: string): Promise<Figures> {
  const [row] = await tdb.db.$queryRaw<(Figures & { last_clearing: unknown })[]>`
    SELECT ${AGENT_STANDING_COLUMNS} FROM agents a ${AGENT_STANDING_JOIN} WHERE a.id = ${agentId}`;
  const { last_clearing: _clearing, ...figures } = row!;
  return figures;
}

const ENDINGS = ["decline", "open", "cancel", "approve", "auto_release", "timer", "concede", "settle", "refund", "release"] as const;
type Ending = (typeof ENDINGS)[number];
const FILES = ["none", "tiny", "large", "tiny-then-large", "511", "512", "uploaded-earlier", "loose-and-tiny", "two-in-one"] as const;
type File = (typeof FILES)[number];
const BUYERS = ["owner", "ann", "bob"] as const;
type Buyer = (typeof BUYERS)[number];

interface Step {
  agent: number;
  buyer: Buyer;
  ending: Ending;
  file: File;
  /** Customer messages before the offer, and after the escrow's ending. */
  before: boolean;
  after: boolean;
}

/** The same bytes every time for the fixed files (reused across escrows); a fresh one otherwise. */
const bytesOf = {
  tiny: () => new Uint8Array(64),
  "511": () => new Uint8Array(TRIVIAL_ARTIFACT_BYTES - 1).fill(1),
  "512": () => new Uint8Array(TRIVIAL_ARTIFACT_BYTES).fill(2),
  large: () => Uint8Array.from({ length: 2048 }, () => Math.floor(Math.random() * 256)),
  fresh: () => Uint8Array.from({ length: 100 }, () => Math.floor(Math.random() * 256)),
};

async function upload(ctx: EngineContext, agentId: string, bytes: Uint8Array): Promise<string> {
  return inTransaction(ctx.db, async (tx) => (await insertArtifact(tx, { agentId, kind: "file", mimeType: "application/octet-stream", name: "f.bin", bytes, now: ctx.now() })).id);
}

async function send(ctx: EngineContext, p: Parties, escrowId: string | null, artifactIds: string[]): Promise<void> {
  await inTransaction(ctx.db, (tx) => postAgentMessage(tx, { agentId: p.agentId, conversationId: p.conversationId, text: "Here it is.", artifactIds, escrowId, now: ctx.now() }));
}

/** The agent delivers `file` in the escrow's conversation (uploads and messages in one transaction, unless "uploaded-earlier"). */
async function deliver(ctx: EngineContext, clock: TestClock, p: Parties, escrowId: string, file: File): Promise<void> {
  const oneShot = async (bytes: Uint8Array, into: string | null = escrowId) =>
    inTransaction(ctx.db, async (tx) => {
      const a = await insertArtifact(tx, { agentId: p.agentId, kind: "file", mimeType: "application/octet-stream", name: "f.bin", bytes, now: ctx.now() });
      await postAgentMessage(tx, { agentId: p.agentId, conversationId: p.conversationId, text: "Here it is.", artifactIds: [a.id], escrowId: into, now: ctx.now() });
    });
  switch (file) {
    case "none":
      return;
    case "tiny":
    case "511":
    case "512":
    case "large":
      return oneShot(bytesOf[file]());
    case "tiny-then-large":
      await oneShot(bytesOf.tiny());
      return oneShot(bytesOf.large());
    case "uploaded-earlier": {
      // The artifact row is written first; a later message links it (the agent API's upload, then send).
      const id = await upload(ctx, p.agentId, bytesOf.fresh());
      clock.advanceSeconds(5);
      return send(ctx, p, escrowId, [id]);
    }
    case "loose-and-tiny":
      // A file sent outside any escrow counts for nothing; the tiny one is the delivery.
      await oneShot(bytesOf.large(), null);
      return oneShot(bytesOf.tiny());
    case "two-in-one": {
      const ids = [await upload(ctx, p.agentId, bytesOf.tiny()), await upload(ctx, p.agentId, bytesOf["512"]())];
      return send(ctx, p, escrowId, ids);
    }
  }
}

async function customerSays(ctx: EngineContext, b: Parties, text: string): Promise<void> {
  await inTransaction(ctx.db, (tx) => postCustomerMessage(tx, { customerId: b.customerId, conversationId: b.conversationId, text, now: ctx.now() }));
}

/** The buyer's own conversation with the agent (the owner's too: the owner buying from its own agent). */
async function buyerOf(db: typeof tdb.db, p: Parties, who: Buyer, users: Record<Exclude<Buyer, "owner">, string>): Promise<Parties> {
  const customerId = who === "owner" ? p.ownerId : users[who];
  const open = await db.conversation.findFirst({ where: { agentId: p.agentId, customerId, buyerAgentId: null } });
  const conversationId = open?.id ?? newId("cnv");
  if (!open) await db.conversation.create({ data: { id: conversationId, agentId: p.agentId, customerId } });
  return { ...p, customerId, conversationId };
}

async function runStep(ctx: EngineContext, clock: TestClock, b: Parties, step: Step, moderatorId: string): Promise<void> {
  const customer = { kind: "customer" as const, userId: b.customerId };
  const agent = { kind: "agent" as const, agentId: b.agentId };
  const moderator = { kind: "moderator" as const, userId: moderatorId };
  clock.advanceSeconds(600);
  if (step.before) await customerSays(ctx, b, "Can you make me a logo?");
  const amountMinor = 1_000;
  await fund(ctx, b.customerId, amountMinor);
  const escrow = await offer(ctx, b, { amountMinor });
  const ending = step.ending;
  const saysAfter = () => (step.after ? customerSays(ctx, b, "Thanks.") : Promise.resolve());
  // A delivery needs a file; the endings past `complete` deliver one at least.
  const file: File = step.file === "none" && !["decline", "open", "cancel"].includes(ending) ? "tiny" : step.file;
  if (ending === "decline") {
    // A file sent on an offer never funded: a delivery for the old statement too (it does not ask for funding).
    await deliver(ctx, clock, b, escrow.id, file);
    await runEscrowCommand(ctx, escrow.id, customer, { command: "decline" });
  } else {
    await runEscrowCommand(ctx, escrow.id, customer, { command: "accept" });
    clock.advanceSeconds(60);
    if (ending === "cancel") {
      await runEscrowCommand(ctx, escrow.id, agent, { command: "cancel" });
    } else {
      await deliver(ctx, clock, b, escrow.id, file);
      if (ending !== "open") {
        clock.advanceSeconds(1);
        await runEscrowCommand(ctx, escrow.id, agent, { command: "complete" });
        if (ending === "approve") await runEscrowCommand(ctx, escrow.id, customer, { command: "approve" });
        else if (ending === "auto_release") {
          clock.advanceSeconds(30 * 24 * 3600);
          await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "auto_release" });
        } else if (ending !== "timer") {
          await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "Not what I asked for" });
          if (ending === "concede") await runEscrowCommand(ctx, escrow.id, agent, { command: "agree_refund" });
          else {
            await runEscrowCommand(ctx, escrow.id, agent, { command: "defend", explanation: "It is." });
            if (ending === "settle") {
              const proposed = await runEscrowCommand(ctx, escrow.id, agent, { command: "propose_settlement", refundAmountMinor: 300 });
              const settlementId = proposed.settlements.find((s) => s.status === "open")!.id;
              await runEscrowCommand(ctx, escrow.id, customer, { command: "accept_settlement", settlementId });
              return saysAfter();
            }
            await runEscrowCommand(ctx, escrow.id, customer, { command: "escalate" });
            await runEscrowCommand(ctx, escrow.id, moderator, { command: "decide", note: "Decided on the file.", outcome: ending === "refund" ? "refund" : "release" });
          }
        }
      }
    }
  }
  await saysAfter();
}

/** Every ending and every kind of file at least once, on the first agent; random steps follow. */
const COVERING: Step[] = [
  ...ENDINGS.map((ending, i) => ({ agent: 0, buyer: BUYERS[i % 3]!, ending, file: FILES[i % FILES.length]!, before: i % 2 === 0, after: i % 3 === 0 })),
  ...FILES.map((file, i) => ({ agent: 1, buyer: BUYERS[(i + 1) % 3]!, ending: "approve" as const, file, before: i % 2 === 1, after: i % 2 === 0 })),
];

it("the standing the triggers keep equals the old from-scratch statement, after random lifecycles over several agents", async () => {
  const random = fc.sample(
    fc.array(
      fc.record({
        agent: fc.integer({ min: 0, max: 2 }),
        buyer: fc.constantFrom(...BUYERS),
        ending: fc.constantFrom(...ENDINGS),
        file: fc.constantFrom(...FILES),
        before: fc.boolean(),
        after: fc.boolean(),
      }),
      { minLength: 14, maxLength: 20 },
    ),
    { numRuns: 1, seed: 175 },
  )[0]!;
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const moderator = await createUser(tdb.db, "admin");
  const users = { ann: (await createUser(tdb.db, "customer", "Ann")).id, bob: (await createUser(tdb.db, "customer", "Bob")).id };
  const agents = await Promise.all([0, 1, 2].map(() => createParties(tdb.db)));
  for (const step of [...COVERING, ...random]) {
    const p = agents[step.agent]!;
    await runStep(ctx, clock, await buyerOf(tdb.db, p, step.buyer, users), step, moderator.id);
    // The figures agree after every step, not only at the end.
    expect(await counters(p.agentId)).toEqual(await recomputed(p.agentId));
  }
  // The completed escrows left to the timer are released by a batch of the scheduler (several agents in one
  // transaction), as in production.
  clock.advanceSeconds(60 * 24 * 3600);
  const fired = await fireDueTimerBatch(ctx, 200, clock.now());
  expect(Array.isArray(fired) && fired.some((o) => o.result === "applied")).toBe(true);

  const totals: Figures = { funded: 0, self_dealing: 0, customer_messages: 0, deliveries: 0, trivial_deliveries: 0, reused: 0, completed: 0, auto_released: 0 };
  for (const p of agents) {
    const expected = await recomputed(p.agentId);
    expect(await counters(p.agentId)).toEqual(expected);
    expect(await stored(p.agentId)).toEqual(expected);
    for (const key of Object.keys(totals) as (keyof Figures)[]) totals[key] += expected[key];
  }
  // The runs covered every figure, trivial deliveries that turned non-trivial, and files reused.
  expect(Math.min(...Object.values(totals))).toBeGreaterThan(1);
  expect(totals.deliveries).toBeGreaterThan(totals.trivial_deliveries);
  expect(totals.funded).toBeGreaterThan(totals.completed);
  expect(totals.completed).toBeGreaterThan(totals.auto_released);
  // …and the moderators' list reads the same rows: every agent that sold, with its figures.
  const listed = await sellingAgentStandings(tdb.db);
  for (const p of agents) {
    const one = await agentStanding(tdb.db, p.agentId);
    expect(listed.find((l) => l.agent.id === p.agentId)?.standing.facts).toEqual(one.facts);
  }
}, 120_000);

const MIGRATION = path.resolve(import.meta.dirname, "../../../prisma/migrations");

function backfillStatement(): string {
  const dir = readdirSync(MIGRATION).find((name) => name.endsWith("_s2_agent_standings"))!;
  const sql = readFileSync(path.join(MIGRATION, dir, "migration.sql"), "utf8");
  const backfill = sql.slice(sql.indexOf("-- Backfill:")).split("\n").slice(1).join("\n").trim().replace(/;\s*$/, "");
  expect(backfill).toBe("SELECT agent_standing_backfill(NULL)");
  return backfill;
}

const STANDING_TABLES = ["agent_standings", "standing_escrows", "standing_conversation_sellers", "standing_deliveries", "standing_files", "standing_file_counts"];

it("the migration's backfill gives the same standing as the triggers, from the history alone (one agent, then all)", async () => {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const moderator = await createUser(tdb.db, "admin");
  const users = { ann: (await createUser(tdb.db, "customer", "Ann")).id, bob: (await createUser(tdb.db, "customer", "Bob")).id };
  const p = await createParties(tdb.db);
  for (const step of COVERING) await runStep(ctx, clock, await buyerOf(tdb.db, p, step.buyer, users), { ...step, agent: 0 }, moderator.id);
  const byTrigger = await counters(p.agentId);
  expect(byTrigger).toEqual(await recomputed(p.agentId));
  expect(byTrigger.funded).toBeGreaterThan(5);

  // One agent: its rows deleted, the migration's backfill scoped to it.
  const backfill = backfillStatement();
  await tdb.db.$transaction([
    ...STANDING_TABLES.map((t) => tdb.db.$executeRawUnsafe(`DELETE FROM ${t} WHERE agent_id = $1`, p.agentId)),
    tdb.db.$executeRawUnsafe(backfill.replace("(NULL)", "($1)"), p.agentId),
  ]);
  expect(await counters(p.agentId)).toEqual(byTrigger);

  // Every agent of this database: all the standing's rows deleted, the migration's statement as it is.
  const agents = (await tdb.db.agent.findMany({ select: { id: true } })).map((a) => a.id);
  const before = await Promise.all(agents.map(counters));
  await tdb.db.$transaction([
    ...[...STANDING_TABLES, "standing_conversations"].map((t) => tdb.db.$executeRawUnsafe(`DELETE FROM ${t}`)),
    tdb.db.$executeRawUnsafe(backfill),
  ]);
  expect(await Promise.all(agents.map(counters))).toEqual(before);
  expect(await Promise.all(agents.map(recomputed))).toEqual(before);
}, 120_000);

/** Every relation a plan reads, and the most rows any of its nodes returned. */
function planReads(plan: unknown): { relations: Set<string>; maxRows: number } {
  const relations = new Set<string>();
  let maxRows = 0;
  const walk = (node: Record<string, unknown>) => {
    if (typeof node["Relation Name"] === "string") relations.add(node["Relation Name"]);
    maxRows = Math.max(maxRows, Number(node["Actual Rows"] ?? 0));
    for (const child of (node["Plans"] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return { relations, maxRows };
}

it("reading the standing reads one row of each table, for an agent with no sales as for one with 40 finished escrows", async () => {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const fresh = await createParties(tdb.db);
  const busy = await createParties(tdb.db);
  const moderator = await createUser(tdb.db, "admin");
  for (let i = 0; i < 40; i++) {
    await runStep(ctx, clock, busy, { agent: 0, buyer: "ann", ending: i % 2 ? "approve" : "auto_release", file: "tiny", before: true, after: true }, moderator.id);
  }
  expect((await counters(busy.agentId)).completed).toBe(40);
  const explain = async (agentId: string) => {
    const [row] = await tdb.db.$queryRaw<{ "QUERY PLAN": unknown }[]>`
      EXPLAIN (ANALYZE, FORMAT JSON) SELECT ${AGENT_RECORD_COLUMNS}, ${AGENT_STANDING_COLUMNS} FROM agents a ${AGENT_STANDING_JOIN} WHERE a.id = ${agentId}`;
    return planReads(row!["QUERY PLAN"]);
  };
  for (const agentId of [fresh.agentId, busy.agentId]) {
    const { relations, maxRows } = await explain(agentId);
    // None of the history: no escrow, message, artifact, transfer or audit row is read.
    for (const history of ["escrows", "messages", "artifacts", "ledger_transfers", "escrow_events"]) expect(relations).not.toContain(history);
    expect(relations).toContain("agent_standings");
    // One row per table read (the agent, its standing, its record's one currency and one buyer).
    expect(maxRows).toBeLessThanOrEqual(1);
  }
}, 120_000);

it("concurrent accepts, deliveries, approvals and customer messages of one agent all commit, and the figures stay exact", async () => {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const p = await createParties(tdb.db);
  const customer = { kind: "customer" as const, userId: p.customerId };
  const agent = { kind: "agent" as const, agentId: p.agentId };
  await fund(ctx, p.customerId, 100_000);
  // A second buyer with a funded escrow: its messages count for the agent while the first buyer's
  // accepts, deliveries and approvals run. (Messages in the very conversation of a transition have their
  // own test: src/server/conversations/message-lock-order.test.ts.)
  const ann = await buyerOf(tdb.db, p, "ann", { ann: (await createUser(tdb.db, "customer", "Ann")).id, bob: "" });
  await fund(ctx, ann.customerId, 10_000);
  const annsEscrow = await offer(ctx, ann, { amountMinor: 1_000 });
  await runEscrowCommand(ctx, annsEscrow.id, { kind: "customer", userId: ann.customerId }, { command: "accept" });
  for (let round = 0; round < 3; round++) {
    clock.advanceSeconds(3600);
    // Offers to accept, funded escrows to deliver in, completed ones to approve — all in one conversation.
    const pending = await Promise.all([0, 1, 2, 3].map(() => offer(ctx, p, { amountMinor: 1_000 })));
    const active = await Promise.all([0, 1, 2].map(() => offer(ctx, p, { amountMinor: 1_000 })));
    for (const e of active) await runEscrowCommand(ctx, e.id, customer, { command: "accept" });
    const done = await Promise.all([0, 1].map(() => offer(ctx, p, { amountMinor: 1_000 })));
    for (const e of done) {
      await runEscrowCommand(ctx, e.id, customer, { command: "accept" });
      clock.advanceSeconds(60);
      await deliver(ctx, clock, p, e.id, "tiny");
      await runEscrowCommand(ctx, e.id, agent, { command: "complete" });
    }
    clock.advanceSeconds(60);
    const results = await Promise.allSettled([
      ...pending.map((e) => runEscrowCommand(ctx, e.id, customer, { command: "accept" })),
      ...active.map((e, i) => deliver(ctx, clock, p, e.id, i === 0 ? "tiny-then-large" : "tiny")),
      ...done.map((e) => runEscrowCommand(ctx, e.id, customer, { command: "approve" })),
      ...[0, 1, 2, 3].map((i) => customerSays(ctx, ann, `message ${round}.${i}`)),
      ...[0, 1].map(() => deliver(ctx, clock, ann, annsEscrow.id, "tiny")),
    ]);
    // Every writer committed (inTransaction retries a deadlock; none is left failing).
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 600))).toEqual([]);
    expect(await counters(p.agentId)).toEqual(await recomputed(p.agentId));
  }
  expect(await counters(p.agentId)).toMatchObject({ funded: 28, completed: 6, customer_messages: 12, reused: 16 });
}, 120_000);
