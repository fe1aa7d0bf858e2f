// Signed receipts (issue 18): the payload a customer's verifier checks, and the rules of one escrow's chain.
// Each problem is asserted word for word: it is what the verifier (src/client/receipts.ts) shows the reader.
import { describe, expect, it } from "vitest";
import { RECEIPT_ALG, RECEIPT_JWS_TYPE, RECEIPT_VERSION, buildReceiptPayload, chainLinkProblem, isReceiptPayload, type ReceiptEventFacts } from "./receipts";

const HASH_A = "a".repeat(64);
const HASH_B = "0123456789abcdef".repeat(4);

const facts: ReceiptEventFacts = {
  escrow: {
    id: "esc_1",
    referenceCode: "HF-7Q2K",
    customerId: "usr_customer",
    agentId: "agt_seller",
    ownerId: "usr_owner",
    buyerAgentId: "agt_buyer",
    amountMinor: 25_00,
    currency: "EUR",
  },
  event: {
    fromStatus: "delivered",
    toStatus: "released",
    command: "accept",
    actorKind: "customer",
    actorId: "usr_customer",
    createdAt: new Date("2026-11-28T12:34:56.789Z"),
  },
  artifacts: [{ id: "art_1", sha256: HASH_B, size_bytes: 1_024 }],
  seq: 3,
  prev: HASH_A,
};

describe("the receipt payload", () => {
  it("names the JWS type, version and algorithm verifiers expect", () => {
    expect(RECEIPT_JWS_TYPE).toBe("holdfast-receipt+jws");
    expect(RECEIPT_VERSION).toBe(1);
    expect(RECEIPT_ALG).toBe("EdDSA");
  });

  it("carries every fact of the event under its wire name, whole", () => {
    expect(buildReceiptPayload(facts)).toStrictEqual({
      v: 1,
      escrow_id: "esc_1",
      reference_code: "HF-7Q2K",
      seq: 3,
      prev: HASH_A,
      parties: { customer_id: "usr_customer", agent_id: "agt_seller", owner_id: "usr_owner", buyer_agent_id: "agt_buyer" },
      amount: 25_00,
      currency: "EUR",
      from_state: "delivered",
      state: "released",
      command: "accept",
      actor: { kind: "customer", id: "usr_customer" },
      artifacts: [{ id: "art_1", sha256: HASH_B, size_bytes: 1_024 }],
      at: "2026-11-28T12:34:56.789Z",
    });
  });

  it("keeps the first event's missing previous state and a timer's missing actor id as null", () => {
    const first = buildReceiptPayload({
      ...facts,
      escrow: { ...facts.escrow, buyerAgentId: null },
      event: { ...facts.event, fromStatus: null, toStatus: "offered", command: "offer", actorKind: "timer", actorId: null },
      artifacts: [],
      seq: 1,
      prev: null,
    });
    expect(first).toMatchObject({ seq: 1, prev: null, from_state: null, actor: { kind: "timer", id: null }, artifacts: [] });
    expect(first.parties.buyer_agent_id).toBeNull();
    expect(isReceiptPayload(first)).toBe(true);
  });

  it("is recognised as a receipt, and nothing missing or mistyped is", () => {
    const payload = buildReceiptPayload(facts);
    expect(isReceiptPayload(payload)).toBe(true);
    expect(isReceiptPayload(JSON.parse(JSON.stringify(payload)))).toBe(true);
    expect(isReceiptPayload(null)).toBe(false);
    expect(isReceiptPayload("receipt")).toBe(false);
    expect(isReceiptPayload(undefined)).toBe(false);
    const broken: [string, Record<string, unknown>][] = [
      ["another version", { v: 2 }],
      ["the version as text", { v: "1" }],
      ["no escrow id", { escrow_id: undefined }],
      ["a numeric escrow id", { escrow_id: 1 }],
      ["seq as text", { seq: "3" }],
      ["a fractional seq", { seq: 2.5 }],
      ["an unsafe seq", { seq: 2 ** 53 }],
      ["prev missing", { prev: undefined }],
      ["prev of 63 hex digits", { prev: "a".repeat(63) }],
      ["prev of 65 hex digits", { prev: "a".repeat(65) }],
      ["prev in capitals", { prev: "A".repeat(64) }],
      ["prev with a non-hex letter", { prev: `${"a".repeat(63)}g` }],
      ["prev with a prefix", { prev: `x${"a".repeat(64)}` }],
      ["prev with a suffix", { prev: `${"a".repeat(64)}x` }],
      ["a numeric prev", { prev: 1 }],
      ["no state", { state: undefined }],
      ["a numeric state", { state: 1 }],
      ["no command", { command: undefined }],
      ["a numeric command", { command: 1 }],
      ["artifacts as an object", { artifacts: {} }],
      ["no artifacts", { artifacts: undefined }],
      ["no time", { at: undefined }],
      ["a numeric time", { at: Date.parse(facts.event.createdAt.toISOString()) }],
    ];
    for (const [name, change] of broken) {
      expect([name, isReceiptPayload({ ...payload, ...change })]).toEqual([name, false]);
    }
    expect(isReceiptPayload({ ...payload, prev: null })).toBe(true);
  });
});

describe("one escrow's chain of receipts", () => {
  const link = (seq: number, prev: string | null, escrow_id = "esc_1") => ({ escrow_id, seq, prev });

  it("starts at seq 1 naming no previous receipt", () => {
    expect(chainLinkProblem(link(1, null), null)).toBeNull();
    expect(chainLinkProblem(link(2, null), null)).toBe("the chain starts at seq 2, not 1 (a receipt is missing)");
    expect(chainLinkProblem(link(0, null), null)).toBe("the chain starts at seq 0, not 1 (a receipt is missing)");
    expect(chainLinkProblem(link(1, HASH_A), null)).toBe("the first receipt names a previous receipt");
  });

  it("follows the previous receipt of the same escrow, by the next seq and its hash", () => {
    const previous = { escrow_id: "esc_1", seq: 1, sha256: HASH_A };
    expect(chainLinkProblem(link(2, HASH_A), previous)).toBeNull();
    expect(chainLinkProblem(link(2, HASH_A, "esc_2"), previous)).toBe("receipt 2 is of escrow esc_2, not esc_1");
    expect(chainLinkProblem(link(3, HASH_A), previous)).toBe("receipt seq 3 follows seq 1 (missing or reordered)");
    expect(chainLinkProblem(link(1, HASH_A), previous)).toBe("receipt seq 1 follows seq 1 (missing or reordered)");
    expect(chainLinkProblem(link(2, HASH_B), previous)).toBe("receipt 2 does not name the hash of receipt 1 (edited, missing or reordered)");
    expect(chainLinkProblem(link(2, null), previous)).toBe("receipt 2 does not name the hash of receipt 1 (edited, missing or reordered)");
  });
});
