// The chargeback evidence is a mapping of the escrows' evidence bundles (the same documents a party or a
// moderator downloads) onto Stripe's text fields.
import { describe, expect, it } from "vitest";
import type { EvidenceBundle } from "../evidence-bundle";
import { buildDisputeEvidence, EVIDENCE_FIELD_MAX_CHARS, type DisputeBundle } from "./dispute-evidence";

const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 10, 0, s)).toISOString();
const HASH = "a".repeat(64);
const LAST = "f".repeat(64);

type Step = [command: string, actor: string, to: string, second: number, reason?: string];

const bundle = (over: { ref?: string; title?: string; amount?: number; currency?: string; status?: string; created?: string; steps?: Step[]; messages?: [string, string][]; delivered?: boolean } = {}): DisputeBundle => {
  const steps: Step[] = over.steps ?? [
    ["accept", "customer", "active", 1],
    ["complete", "agent", "delivered", 2],
    ["approve", "customer", "completed", 3],
  ];
  const escrow: EvidenceBundle["escrow"] = {
    id: "esc1",
    reference_code: over.ref ?? "ABCDEF",
    title: over.title ?? "Logo design",
    description: "A logo",
    amount: over.amount ?? 2500,
    currency: over.currency ?? "USD",
    fee_amount: 125,
    status: over.status ?? "completed",
    outcome: null,
    refund_amount: 0,
    dispute_reason: null,
    customer_id: "u1",
    agent_id: "a1",
    owner_id: "o1",
    buyer_agent_id: null,
    service_id: null,
    created_at: over.created ?? at(0),
  };
  const delivered = over.delivered ?? true;
  return {
    escrow,
    transcript: (over.messages ?? [["agent", "Here is\nyour logo."]]).map(([role, text], i) => ({ id: `m${i}`, role, trusted: false, escrow_id: "esc1", text, artifact_ids: [], created_at: at(2) })),
    artifacts: [{ id: "art1", message_id: "m0", kind: "file", mime_type: "image/png", name: "logo.png", sha256: HASH, size_bytes: 4, content_base64: null }],
    timeline: steps.map(([command, actor, to, s, reason], i) => ({ id: String(i + 1), from: null, to, command, actor: { kind: actor, id: null }, reason: reason ?? null, version: i + 1, at: at(s) })),
    receipts: steps.map(([command, , to], i) => ({
      escrow_id: "esc1",
      seq: i + 1,
      kid: "key-1",
      jws: "x.y.z",
      sha256: i === steps.length - 1 ? LAST : String(i).repeat(64),
      payload: { state: to, command, artifacts: delivered && command === "complete" ? [{ id: "art1", sha256: HASH, size_bytes: 4 }] : [] },
    })),
  };
};

describe("buildDisputeEvidence from evidence bundles", () => {
  it("names the order, the delivery as the receipts count it (size, SHA-256), the last receipt's hash, the timeline and the customer's approvals", () => {
    const e = buildDisputeEvidence({ customerName: "Casey", customerEmail: "c@x.test", bundles: [bundle()] });
    expect(e.product_description).toBe('Order ABCDEF: "Logo design", 2500 USD (minor units), now completed.');
    expect(e.service_date).toBe("2026-11-01");
    expect(e.uncategorized_text).toContain(`  logo.png (image/png), 4 bytes, SHA-256 ${HASH}, named by signed receipt #2`);
    expect(e.uncategorized_text).toContain(`3 receipts (Ed25519 JWS, key key-1); the last, #3 (state completed), has SHA-256 ${LAST}`);
    expect(e.uncategorized_text).toContain("/.well-known/jwks.json");
    expect(e.uncategorized_text).toContain("agent: Here is your logo.");
    expect(e.access_activity_log).toContain("2026-11-01T10:00:03.000Z approve by customer → completed");
    expect(e.access_activity_log).toContain("customer approved the delivery at 2026-11-01T10:00:03.000Z");
    expect(e.access_activity_log).toContain("customer accepted and paid the offer at 2026-11-01T10:00:01.000Z");
  });

  it("an artifact no receipt counted is not presented as delivered; the evaluator's attestation is quoted", () => {
    const e = buildDisputeEvidence({
      customerName: "C",
      customerEmail: "c@x.test",
      bundles: [
        bundle({
          delivered: false,
          status: "disputed",
          steps: [
            ["accept", "customer", "active", 1],
            ["attest", "evaluator", "active", 2, "fail: the PNG is blank"],
          ],
        }),
      ],
    });
    expect(e.uncategorized_text).toContain("Order ABCDEF — delivered artifacts:\n  none\n");
    expect(e.uncategorized_text).not.toContain(HASH);
    expect(e.uncategorized_text).toContain("independent evaluator's attestation at 2026-11-01T10:00:02.000Z: fail: the PNG is blank");
  });

  it("caps each field for Stripe's evidence limit, the transcript last, and describes a plain top-up", () => {
    const long = bundle({ messages: Array.from({ length: 200 }, () => ["customer", "x".repeat(500)] as [string, string]) });
    const e = buildDisputeEvidence({ customerName: "C", customerEmail: "c@x.test", bundles: [long] });
    expect(e.uncategorized_text.length).toBeLessThanOrEqual(EVIDENCE_FIELD_MAX_CHARS);
    expect(e.uncategorized_text.endsWith("[truncated]")).toBe(true);
    expect(e.uncategorized_text).toContain(`SHA-256 ${LAST}`); // the record survives the cut; the talk is cut
    const none = buildDisputeEvidence({ customerName: "C", customerEmail: "c@x.test", bundles: [] });
    expect(none.product_description).toMatch(/prepaid wallet top-up/);
    expect(none.service_date).toBe("");
  });
});

describe("the evidence sent to Stripe, field by field", () => {
  it("lists each order's timeline, then only the customer's own approvals and payments", () => {
    const e = buildDisputeEvidence({
      customerName: "Casey",
      customerEmail: "c@x.test",
      bundles: [
        bundle({
          steps: [
            ["accept", "customer", "active", 1],
            ["approve", "moderator", "completed", 2],
            ["accept", "agent", "active", 3],
            ["dispute", "customer", "disputed", 4],
          ],
          messages: [],
        }),
      ],
    });
    expect(e.access_activity_log).toBe(
      [
        "Order ABCDEF:",
        "  2026-11-01T10:00:01.000Z accept by customer → active",
        "  2026-11-01T10:00:02.000Z approve by moderator → completed",
        "  2026-11-01T10:00:03.000Z accept by agent → active",
        "  2026-11-01T10:00:04.000Z dispute by customer → disputed",
        "  customer accepted and paid the offer at 2026-11-01T10:00:01.000Z",
      ].join("\n"),
    );
    expect(e.uncategorized_text.split("\n").slice(0, 2)).toEqual(["Order ABCDEF — delivered artifacts:", "  none"]);
    expect(e.uncategorized_text.endsWith("Order ABCDEF — conversation:")).toBe(true);
  });

  it("several orders: one line each, and the service date is the earliest delivery's day (else the order's)", () => {
    const e = buildDisputeEvidence({
      customerName: "Casey",
      customerEmail: "c@x.test",
      bundles: [
        bundle({ ref: "LATERR", created: "2026-10-03T08:00:00.000Z", status: "refunded" }),
        bundle({ ref: "FIRSTT", created: "2026-10-30T23:00:00.000Z", amount: 100, currency: "EUR", steps: [["accept", "customer", "active", 1]] }),
      ],
    });
    expect(e.product_description).toBe(
      'Order LATERR: "Logo design", 2500 USD (minor units), now refunded.\nOrder FIRSTT: "Logo design", 100 EUR (minor units), now completed.',
    );
    // LATERR was delivered on 2026-11-01; FIRSTT never was, so its day is when it was ordered.
    expect(e.service_date).toBe("2026-10-30");
  });

  it("a message is one line of at most 500 characters", () => {
    const text = `${"a".repeat(10)}\n\n\t${"b".repeat(600)}`;
    const e = buildDisputeEvidence({ customerName: "C", customerEmail: "c@x.test", bundles: [bundle({ messages: [["customer", text]] })] });
    expect(e.uncategorized_text.split("\n").at(-1)).toBe(`  [2026-11-01T10:00:02.000Z] customer: ${"a".repeat(10)} ${"b".repeat(489)}`);
  });

  it("a field of exactly the cap is kept whole; one character more is cut to the cap with a marker", () => {
    // 'Order ABCDEF: "' + title + '", 2500 USD (minor units), now completed.' is 56 characters around the title.
    const exact = buildDisputeEvidence({ customerName: "C", customerEmail: "c", bundles: [bundle({ title: "t".repeat(EVIDENCE_FIELD_MAX_CHARS - 56) })] });
    expect(exact.product_description).toHaveLength(EVIDENCE_FIELD_MAX_CHARS);
    expect(exact.product_description.endsWith("now completed.")).toBe(true);
    const over = buildDisputeEvidence({ customerName: "C", customerEmail: "c", bundles: [bundle({ title: "t".repeat(EVIDENCE_FIELD_MAX_CHARS - 55) })] });
    expect(over.product_description).toHaveLength(EVIDENCE_FIELD_MAX_CHARS);
    expect(over.product_description).toBe(`${over.product_description.slice(0, EVIDENCE_FIELD_MAX_CHARS - 12)}\n[truncated]`);
  });

  it("the customer's name and email are cut to 200 characters", () => {
    const e = buildDisputeEvidence({ customerName: "n".repeat(250), customerEmail: `${"e".repeat(250)}@x.test`, bundles: [] });
    expect(e.customer_name).toBe("n".repeat(200));
    expect(e.customer_email_address).toBe("e".repeat(200));
    expect(e.access_activity_log).toBe("");
    expect(e.uncategorized_text).toBe("");
  });
});
