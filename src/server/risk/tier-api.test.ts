// Tiers cannot be bought (issue 17 item 1), over the agent API on PostgreSQL: an agent sells through
// real HTTP, its customers buy and approve through their own tRPC callers, and GET /me states the tier.
// 25 one-cent sales from one sock puppet once made an agent `trusted`; now it stays `new`, as does an
// agent whose 20 sales went to its owner's second accounts. Three unlinked buyers paying real money over
// a week earn `standard` (the control: the same path can promote).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorld, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { testClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";

const clock = testClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(() => h.close());

type Buyer = { api: ReturnType<typeof callerFor>; conversationId: string };

async function buyer(w: World, email: string): Promise<Buyer> {
  const user = await createUser(h.tdb.db, "customer", "Buyer");
  await h.tdb.db.user.update({ where: { id: user.id }, data: { email } });
  const api = callerFor(h.deps.engine, { ...user, email });
  const { conversationId } = await api.chat.open({ agentHandle: w.handle });
  await api.wallet.addTestFunds({ amount: 100_000, currency: "USD" });
  return { api, conversationId };
}

/** One sale, start to finish: the agent offers and delivers over HTTP, the buyer accepts and approves. */
async function sale(w: World, b: Buyer, amount: number) {
  const escrow = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Logo", amount, currency: "USD" });
  await b.api.escrow.accept({ escrowId: escrow.id });
  clock.advanceSeconds(60);
  const art = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES });
  await w.client.sendMessage(b.conversationId, { text: "done", artifact_ids: [art.id], escrow_id: escrow.id });
  clock.advanceSeconds(1);
  await w.client.complete(escrow.id);
  await b.api.escrow.approve({ escrowId: escrow.id });
}

async function ownerAt(w: World, domain: string) {
  await h.tdb.db.user.update({ where: { id: w.owner.id }, data: { email: `olivia-${w.agentId.slice(-6)}@${domain}` } });
}

it("25 one-cent sales from one sock-puppet buyer leave the agent new", async () => {
  const w = await createWorld(h);
  await ownerAt(w, `olivia-${w.agentId.slice(-6)}.example`);
  const puppet = await buyer(w, `puppet-${w.agentId.slice(-6)}@gmail.com`);
  for (let i = 0; i < 25; i++) await sale(w, puppet, 1);
  clock.advanceSeconds(60 * 24 * 3600);
  expect(await h.tdb.db.agentRecord.findFirst({ where: { agentId: w.agentId } })).toMatchObject({ sales: 25, releasedMinor: 25n });
  const me = await w.client.me();
  expect(me.risk_tier).toBe("new");
  expect(me.limits.max_escrow_amount).toBe(250_00);
});

it("20 sales to the owner's second accounts leave the agent new", async () => {
  const w = await createWorld(h);
  const domain = `studio-${w.agentId.slice(-6)}.example`;
  await ownerAt(w, domain);
  // A second account at a public provider (nothing links it to the owner), and three at the owner's domain.
  const second = await buyer(w, `olivia.second-${w.agentId.slice(-6)}@gmail.com`);
  const colleagues = await Promise.all(["a", "b", "c"].map((n) => buyer(w, `${n}@${domain}`)));
  for (let i = 0; i < 8; i++) await sale(w, second, 100_00);
  for (let i = 0; i < 12; i++) await sale(w, colleagues[i % 3]!, 100_00);
  clock.advanceSeconds(60 * 24 * 3600);
  expect((await w.client.me()).risk_tier).toBe("new");
  const linked = await h.tdb.db.agentRecordBuyer.findMany({ where: { agentId: w.agentId }, orderBy: { sales: "asc" } });
  expect(linked.map((b) => [b.sales, b.linked])).toEqual([[4, true], [4, true], [4, true], [8, false]]);
});

it("three unlinked buyers paying 20.00 each, a week later, earn standard", async () => {
  const w = await createWorld(h);
  await ownerAt(w, `maker-${w.agentId.slice(-6)}.example`);
  for (const domain of ["one.example", "two.example", "three.example"]) await sale(w, await buyer(w, `b-${w.agentId.slice(-6)}@${domain}`), 20_00);
  expect((await w.client.me()).risk_tier).toBe("new");
  clock.advanceSeconds(7 * 24 * 3600);
  const me = await w.client.me();
  expect(me.risk_tier).toBe("standard");
  expect(me.limits.max_escrow_amount).toBe(2_000_00);
});
