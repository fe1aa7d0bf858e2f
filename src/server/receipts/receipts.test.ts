// Signed receipts (issue 18): every event of random lifecycles gets a receipt and the chain verifies offline;
// tampering with any field, reordering, dropping or an unknown key fails; rotation keeps old receipts valid;
// two sealers racing on one escrow write one chain.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyReceiptChain, type ReceiptLike } from "~/client/receipts";
import { transitionsFrom } from "~/domain/escrow/transitions";
import { isDomainError } from "~/domain/escrow/errors";
import type { Actor, EscrowStatus } from "~/domain/escrow/states";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliverArtifact, deliveredEscrow, fund, offer, testClock, testContext, UNCAPPED_POLICIES } from "~/test/engine-fixtures";
import type { ActorRef } from "../escrow/actors";
import { runEscrowCommand, type CommandRequest } from "../escrow/run-command";
import { generateReceiptJwk, keysetFromJwks, publicJwks, type ReceiptKeyset } from "./keys";
import { sealEscrowReceipts, sealPendingReceipts, toReceiptJson } from "./sealer";

const tdb = databaseForThisFile();

async function keyset(...kids: string[]): Promise<ReceiptKeyset> {
  return keysetFromJwks(await Promise.all(kids.map((kid) => generateReceiptJwk(kid))));
}

function requestFor(command: string, amountMinor: number, openSettlementId: string | null): CommandRequest {
  switch (command) {
    case "dispute":
      return { command: "dispute", reason: "The logo is blurry" };
    case "defend":
      return { command: "defend", explanation: "It matches the brief" };
    case "propose_settlement":
      return { command: "propose_settlement", refundAmountMinor: Math.floor(amountMinor / 2) };
    case "accept_settlement":
      return { command: "accept_settlement", settlementId: openSettlementId ?? "stl_unknown" };
    case "decide":
      return { command: "decide", outcome: "split", refundAmountMinor: Math.floor(amountMinor / 3), note: "Half done" };
    case "cancel":
      return { command: "cancel", reason: "Cannot do it" };
    default:
      return { command } as CommandRequest;
  }
}

describe("receipt chains", () => {
  it("every transition of random lifecycles yields a receipt, and each escrow's chain verifies", async () => {
    const keys = await keyset("k1");
    let receiptsChecked = 0;
    const statesSeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(1000), fc.nat(3), fc.constantFrom(0, 3600, 49 * 3600)), { minLength: 4, maxLength: 14 }), async (steps) => {
        const clock = testClock();
        const ctx = testContext(tdb.db, clock, 250, UNCAPPED_POLICIES);
        const p = await createParties(tdb.db);
        await fund(ctx, p.customerId, 1_000_000);
        const escrow = await offer(ctx, p, { amountMinor: 4_000 });
        const actors: Record<Actor, ActorRef> = {
          customer: { kind: "customer", userId: p.customerId },
          agent: { kind: "agent", agentId: p.agentId },
          timer: { kind: "timer" },
          moderator: { kind: "moderator", userId: p.ownerId },
        };
        for (const [pick, actorPick, wait] of steps) {
          clock.advanceSeconds(wait);
          const row = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
          const rows = transitionsFrom(row.status as EscrowStatus);
          const rule = rows[pick % Math.max(rows.length, 1)];
          if (!rule) break;
          if (rule.command === "complete") {
            clock.advanceSeconds(1);
            await deliverArtifact(ctx, p, escrow.id);
            clock.advanceSeconds(1);
          }
          const open = await tdb.db.settlement.findFirst({ where: { escrowId: escrow.id, status: "open" } });
          try {
            await runEscrowCommand(ctx, escrow.id, actors[rule.actors[actorPick % rule.actors.length]!], requestFor(rule.command, 4_000, open?.id ?? null));
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
        }
        const events = await tdb.db.escrowEvent.findMany({ where: { escrowId: escrow.id }, orderBy: { id: "asc" } });
        const receipts = (await sealEscrowReceipts(tdb.db, escrow.id, keys)).map(toReceiptJson);
        expect(receipts.map((r) => r.payload)).toMatchObject(events.map((e, i) => ({ seq: i + 1, state: e.toStatus, command: e.command })));
        const verdict = await verifyReceiptChain(receipts, publicJwks(keys));
        expect(verdict).toMatchObject({ ok: true });
        for (const e of events) statesSeen.add(e.toStatus);
        receiptsChecked += receipts.length;
        // Sealing again writes nothing new: each event is signed once.
        expect((await sealEscrowReceipts(tdb.db, escrow.id, keys)).map((r) => r.jws)).toEqual(receipts.map((r) => r.jws));
      }),
      { numRuns: 20 },
    );
    expect(receiptsChecked).toBeGreaterThan(30);
    expect(statesSeen.size).toBeGreaterThanOrEqual(4);
  }, 180_000);

  it("the delivery receipt carries the hashes of the artifacts that counted", async () => {
    const keys = await keyset("k1");
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const artifact = await tdb.db.artifact.findFirstOrThrow({ where: { message: { escrowId: escrow.id } } });
    const receipts = (await sealEscrowReceipts(tdb.db, escrow.id, keys)).map(toReceiptJson);
    const delivered = receipts.find((r) => (r.payload as { state: string }).state === "delivered");
    expect(delivered?.payload).toMatchObject({
      command: "complete",
      actor: { kind: "agent", id: p.agentId },
      artifacts: [{ id: artifact.id, sha256: artifact.sha256, size_bytes: Number(artifact.sizeBytes) }],
      parties: { customer_id: p.customerId, agent_id: p.agentId, owner_id: p.ownerId, buyer_agent_id: null },
      amount: 2500,
      currency: "USD",
    });
    expect(receipts[0]!.payload).toMatchObject({ seq: 1, prev: null, state: "pending", command: "offer", artifacts: [] });
    expect((receipts[1]!.payload as { prev: string }).prev).toBe(receipts[0]!.sha256);
  });
});

describe("verification refuses what was not signed as is", () => {
  async function chain() {
    const keys = await keyset("k1");
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
    const receipts = (await sealEscrowReceipts(tdb.db, escrow.id, keys)).map(toReceiptJson);
    expect(receipts.length).toBe(4);
    return { keys, receipts, jwks: publicJwks(keys) };
  }

  it("tampering with any field of a payload fails, whether in the JWS or beside it", async () => {
    const { receipts, jwks } = await chain();
    const delivered = receipts[2]!;
    const payload = delivered.payload as Record<string, unknown>;
    const edits: Record<string, unknown>[] = [
      { amount: 1 }, { currency: "EUR" }, { state: "completed" }, { command: "approve" }, { seq: 7 }, { prev: "0".repeat(64) },
      { escrow_id: "esc_other" }, { reference_code: "ZZZZZZ" }, { at: "2020-01-01T00:00:00.000Z" },
      { actor: { kind: "customer", id: "usr_x" } }, { parties: { ...(payload.parties as object), customer_id: "usr_x" } },
      { artifacts: [] }, { from_state: "pending" },
    ];
    for (const edit of edits) {
      const tampered = { ...payload, ...edit };
      // 1. The payload beside the JWS is edited.
      const beside = receipts.map((r, i) => (i === 2 ? { ...r, payload: tampered } : r));
      expect(await verifyReceiptChain(beside, jwks), JSON.stringify(edit)).toMatchObject({ ok: false, index: 2 });
      // 2. The JWS's own payload is swapped (the signature no longer matches).
      const [h, , s] = delivered.jws.split(".");
      const forged = `${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`;
      const inJws = receipts.map((r, i) => (i === 2 ? { jws: forged } : { jws: r.jws }));
      expect(await verifyReceiptChain(inJws, jwks), JSON.stringify(edit)).toMatchObject({ ok: false, index: 2 });
    }
    // The signature itself, and the convenience fields.
    const at = delivered.jws.length - 10;
    const sigFlipped = delivered.jws.slice(0, at) + (delivered.jws[at] === "A" ? "B" : "A") + delivered.jws.slice(at + 1);
    expect(sigFlipped).not.toBe(delivered.jws);
    expect(await verifyReceiptChain(receipts.map((r, i) => (i === 2 ? { jws: sigFlipped } : { jws: r.jws })), jwks)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("signature"),
    });
    expect(await verifyReceiptChain(receipts.map((r, i) => (i === 2 ? { ...r, sha256: "f".repeat(64) } : r)), jwks)).toMatchObject({ ok: false });
    expect(await verifyReceiptChain(receipts.map((r, i) => (i === 2 ? { ...r, seq: 9 } : r)), jwks)).toMatchObject({ ok: false });
    expect(await verifyReceiptChain(receipts, jwks)).toMatchObject({ ok: true });
  });

  it("reordering, dropping or a receipt of another escrow fails", async () => {
    const { receipts, jwks } = await chain();
    const swapped = [receipts[0]!, receipts[2]!, receipts[1]!, receipts[3]!];
    expect(await verifyReceiptChain(swapped, jwks)).toMatchObject({ ok: false, index: 1 });
    expect(await verifyReceiptChain([receipts[0]!, receipts[2]!, receipts[3]!], jwks)).toMatchObject({ ok: false, index: 1 });
    expect(await verifyReceiptChain(receipts.slice(1), jwks)).toMatchObject({ ok: false, index: 0 });
    expect(await verifyReceiptChain([...receipts].reverse(), jwks)).toMatchObject({ ok: false, index: 0 });
    expect(await verifyReceiptChain([], jwks)).toMatchObject({ ok: false });
    const other = await chain();
    expect(await verifyReceiptChain([...receipts.slice(0, 2), ...other.receipts.slice(2)].map((r) => ({ jws: r.jws })), { keys: [...jwks.keys, ...other.jwks.keys] })).toMatchObject({
      ok: false,
      index: 2,
    });
  });

  it("an unknown key, a key that is not the signer's, or a non-EdDSA key fails", async () => {
    const { receipts } = await chain();
    const stranger = publicJwks(await keyset("k1"));
    expect(await verifyReceiptChain(receipts, stranger)).toMatchObject({ ok: false, index: 0, reason: expect.stringContaining("signature") });
    const unknownKid = publicJwks(await keyset("k-other"));
    expect(await verifyReceiptChain(receipts, unknownKid)).toMatchObject({ ok: false, index: 0, reason: expect.stringContaining("does not publish") });
    expect(await verifyReceiptChain(receipts, { keys: [] })).toMatchObject({ ok: false });
  });
});

describe("key rotation", () => {
  it("receipts signed with key 1 still verify after rotating to key 2, and new ones use key 2", async () => {
    const k1 = await generateReceiptJwk("2026-01");
    const k2 = await generateReceiptJwk("2026-02");
    const before = await keysetFromJwks([k1]);
    const after = await keysetFromJwks([k1, k2]);
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const old = (await sealEscrowReceipts(tdb.db, escrow.id, before)).map(toReceiptJson);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
    const all = (await sealEscrowReceipts(tdb.db, escrow.id, after)).map(toReceiptJson);
    expect(all.slice(0, old.length)).toEqual(old);
    expect(old.every((r) => r.kid === "2026-01")).toBe(true);
    expect(all.at(-1)!.kid).toBe("2026-02");
    expect(await verifyReceiptChain(all, publicJwks(after))).toMatchObject({ ok: true });
    // A JWKS that dropped the old key no longer vouches for the old receipts.
    expect(await verifyReceiptChain(all, { keys: [publicJwks(after).keys[1]!] })).toMatchObject({ ok: false, index: 0 });
    expect(JSON.stringify(publicJwks(after))).not.toContain('"d"');
  });
});

describe("sealing", () => {
  it("sealers racing on one escrow write one chain (each event once)", async () => {
    const keys = await keyset("k1");
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const results = await Promise.all(Array.from({ length: 6 }, () => sealEscrowReceipts(tdb.db, escrow.id, keys)));
    const stored = await tdb.db.escrowReceipt.findMany({ where: { escrowId: escrow.id }, orderBy: { seq: "asc" } });
    expect(stored.length).toBe(3);
    for (const r of results) expect(r.map((x) => x.jws)).toEqual(stored.map((x) => x.jws));
    expect(await verifyReceiptChain(stored.map(toReceiptJson), publicJwks(keys))).toMatchObject({ ok: true });
  });

  it("the worker round seals escrows nobody asked about", async () => {
    const keys = await keyset("k1");
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    let round = await sealPendingReceipts(tdb.db, 0n, 1000, keys);
    while (round.written > 0) round = await sealPendingReceipts(tdb.db, 0n, 1000, keys);
    const receipts: ReceiptLike[] = (await tdb.db.escrowReceipt.findMany({ where: { escrowId: escrow.id } })).map(toReceiptJson);
    expect(receipts.length).toBe(1);
    const unsealed = await tdb.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM escrow_events e WHERE NOT EXISTS (SELECT 1 FROM escrow_receipts r WHERE r.event_id = e.id)`;
    expect(Number(unsealed[0]!.n)).toBe(0);
  });
});

describe("what counted toward delivery", () => {
  it("the delivery receipt names only the artifacts that met the service's contract, with their hashes", async () => {
    const keys = await keyset("k1");
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db, { contract: { kinds: ["image"], mime_types: ["image/png"], json_schema: null } });
    await fund(ctx, p.customerId, 2_500);
    const escrow = await offer(ctx, p);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    clock.advanceSeconds(60);
    await deliverArtifact(ctx, p, escrow.id, { kind: "data", mimeType: "application/json", data: { notes: "not a logo" } });
    const png = await deliverArtifact(ctx, p, escrow.id);
    clock.advanceSeconds(1);
    await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
    const row = await tdb.db.artifact.findUniqueOrThrow({ where: { id: png } });
    const receipts = (await sealEscrowReceipts(tdb.db, escrow.id, keys)).map(toReceiptJson);
    expect((receipts.at(-1)!.payload as { artifacts: unknown }).artifacts).toEqual([{ id: png, sha256: row.sha256, size_bytes: Number(row.sizeBytes) }]);
    // The agent's escrow.delivered event carries the same hashes.
    const event = await tdb.db.agentEvent.findFirstOrThrow({ where: { escrowId: escrow.id, type: "escrow.delivered" } });
    expect((event.data as { artifacts: unknown }).artifacts).toEqual([{ id: png, sha256: row.sha256, size_bytes: Number(row.sizeBytes) }]);
  });
});
