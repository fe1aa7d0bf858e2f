// Moderators see open card chargebacks beside the escrow cases (issue 15 item 5): a dispute Stripe opens
// on a card payment that funded a wallet reaches admin.chargebacks (moderators only), in the console's
// words, and leaves it when the card network closes it. Stripe is the local stand-in, the webhooks are
// signed and delivered over real HTTP.
import { describe, expect, it } from "vitest";
import { chargebackStatusWords, chargebackWords } from "~/components/admin/admin-words";
import { callerFor } from "~/server/api/root";
import { databaseForThisFile } from "~/test/db";
import { stripeHarnessForThisFile } from "~/test/stripe-harness";
import { createUser } from "~/test/users";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
const h = stripeHarnessForThisFile(tdb);

describe("admin.chargebacks", () => {
  it("lists an open chargeback for moderators in words, refuses everyone else, and drops it once closed", async () => {
    const moderator = callerFor(h.ctx, await createUser(tdb.db, "admin", "Mo Moderator"));
    expect(await moderator.admin.chargebacks()).toEqual([]);

    const customer = await createUser(tdb.db, "customer", "Casey Customer");
    const { chargeId } = await h.cardTopUp(customer, 4_250);
    h.clock.advanceSeconds(60);
    const dispute = await h.fake.openDispute(chargeId);
    h.clock.advanceSeconds(3_600);

    const [item, ...rest] = await moderator.admin.chargebacks();
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      dispute_id: dispute.id,
      customer: { id: customer.id, display_name: "Casey Customer", email: customer.email },
      amount: 4_250,
      currency: "USD",
      reason: "fraudulent",
      age_seconds: 3_600,
    });
    expect(chargebackWords(item!)).toBe("Casey Customer disputed a card payment of $42.50: the cardholder says they did not make this payment.");
    // Holdfast answered Stripe with its evidence when the dispute arrived.
    expect(item!.evidence_submitted).toBe(true);
    expect(chargebackStatusWords(item!.status, item!.evidence_submitted)).toBe("Evidence sent; the card network is reviewing it");

    for (const someone of [customer, await createUser(tdb.db, "owner", "Olivia Owner")]) {
      await expect(callerFor(h.ctx, someone).admin.chargebacks()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }

    await h.fake.closeDispute(dispute.id, "won");
    expect(await moderator.admin.chargebacks()).toEqual([]);
  });

  it("words for a reason or status the console does not know still say something true", () => {
    const c = { customer: { display_name: "Casey" }, amount: 100, currency: "USD", reason: "general" };
    expect(chargebackWords(c)).toBe("Casey disputed a card payment of $1.00: the cardholder gave their bank no specific reason.");
    expect(chargebackStatusWords("needs_response", false)).toBe("Evidence not sent yet");
    expect(chargebackStatusWords("something_new", true)).toBe("Evidence sent");
  });
});
