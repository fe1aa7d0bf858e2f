// One base-URL rule for every link Holdfast sends (issue 16 item 18): with PORT=3101 and no base URL
// configured, the sign-in links, an owner alert's link and a customer notice's link all point at 3101.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, testClock } from "~/test/engine-fixtures";
import { drainDueTimers } from "./jobs/scheduler";
import { timerTestContext } from "~/test/timer-fixtures";

// Before anything reads the environment (env() is read once per process).
beforeAll(() => {
  process.env.PORT = "3101";
  delete process.env.HOLDFAST_BASE_URL;
  delete process.env.NEXTAUTH_URL;
  process.env.NEXTAUTH_SECRET = "l".repeat(40);
});

const tdb = databaseForThisFile();

describe("links with PORT=3101 and no base URL", () => {
  it("sign-in, alert and notice links all use port 3101", async () => {
    // Sign-in: next-auth builds its links from NEXTAUTH_URL, which the auth runtime sets from the rule.
    process.env.DATABASE_URL = tdb.url;
    const { authRuntime } = await import("./auth/options");
    expect(authRuntime().baseUrl.origin).toBe("http://localhost:3101");
    expect(process.env.NEXTAUTH_URL).toBe("http://localhost:3101");

    // An overdue delivery: a notice to the customer and an alert to the owner, by the timers.
    const clock = testClock();
    const ctx = timerTestContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await activeEscrow(ctx, p);
    clock.advanceSeconds(30 * 24 * 3600);
    // One worker fires timers in due order: the overdue notice before the delivery deadline's refund.
    // Concurrent workers may commit the refund first, and the overdue timer then rightly goes stale.
    await drainDueTimers(ctx, 1);

    const notice = await tdb.db.notification.findFirstOrThrow({ where: { escrowId: escrow.id, template: "delivery_overdue" } });
    expect(notice.body).toContain(`http://localhost:3101/orders/${escrow.id}`);
    const alertMail = await tdb.db.notification.findFirstOrThrow({ where: { alertId: { not: null }, channel: "email", escrowId: escrow.id } });
    expect(alertMail.body).toMatch(/http:\/\/localhost:3101\/owner\/alerts\/alr_/);
    const all = await tdb.db.notification.findMany({ select: { body: true } });
    for (const { body } of all) expect(body).not.toContain("localhost:3000");
  });
});
