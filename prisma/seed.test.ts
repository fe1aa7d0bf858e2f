// The demo data: everything `npm start` promises, created once; an older demo database (from before
// Brand Studio) gains the new owner and agent on the next start without touching what it has.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "../src/test/db";
import { testClock, testContext } from "../src/test/engine-fixtures";
import { walletBalances } from "../src/server/ledger/wallet";
import { checkDatabaseLedger } from "../src/server/ledger/check";
import { DEMO_ACCOUNTS, DEMO_AGENT_IDS, DEMO_CUSTOMER_FUNDS_MINOR, DEMO_STUDIO_FUNDS_MINOR, seedDemoData } from "./seed";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

const usd = async (userId: string) =>
  (await walletBalances(testContext(tdb.db, testClock()), userId)).find((b) => b.currency === "USD")?.balanceMinor ?? 0;

describe("seedDemoData", () => {
  it("creates the people, the agents (three with catalogs, and Proofreader) and the funds once; a second run changes nothing", async () => {
    expect(await seedDemoData(tdb.url)).toEqual({ created: true });
    const agents = await tdb.db.agent.findMany({ include: { services: true }, orderBy: { id: "asc" } });
    expect(agents.map((a) => a.id).sort()).toEqual([...DEMO_AGENT_IDS].sort());
    expect(agents.filter((a) => a.handle !== "proofreader").every((a) => a.services.length > 0)).toBe(true);
    // Proofreader: another owner's agent, opted in as evaluator, named by Pixel Forge's logo service (issue 18).
    const proofreader = agents.find((a) => a.handle === "proofreader")!;
    expect(proofreader).toMatchObject({ ownerId: DEMO_ACCOUNTS.proof.id, evaluatorEnabled: true, evaluatorFeeCurrency: "USD" });
    expect((await tdb.db.service.findUniqueOrThrow({ where: { id: "svc_demologo" } })).evaluatorAgentId).toBe(proofreader.id);
    const studio = agents.find((a) => a.handle === "brand-studio")!;
    expect(studio).toMatchObject({ ownerId: DEMO_ACCOUNTS.studio.id, purchasingEnabled: true, purchaseLimitMinor: 100_00n });
    expect(agents.filter((a) => a.handle !== "brand-studio" && a.handle !== "proofreader").every((a) => a.ownerId === DEMO_ACCOUNTS.owner.id && !a.purchasingEnabled)).toBe(
      true,
    );
    expect(await usd(DEMO_ACCOUNTS.customer.id)).toBe(DEMO_CUSTOMER_FUNDS_MINOR);
    expect(await usd(DEMO_ACCOUNTS.studio.id)).toBe(DEMO_STUDIO_FUNDS_MINOR);

    expect(await seedDemoData(tdb.url)).toEqual({ created: false });
    expect(await tdb.db.agent.count()).toBe(4);
    expect(await usd(DEMO_ACCOUNTS.customer.id)).toBe(DEMO_CUSTOMER_FUNDS_MINOR);
  });

  it("adds Brand Studio and its owner to a demo database seeded before they existed", async () => {
    // Remove what the newer seed added (the studio's transfer, account, service, agent and owner).
    await tdb.db.$executeRaw`DELETE FROM ledger_transfers WHERE operation_key = 'topup:demo-seed-studio'`;
    await tdb.db.$executeRaw`DELETE FROM ledger_accounts WHERE user_id = ${DEMO_ACCOUNTS.studio.id}`;
    await tdb.db.$executeRaw`UPDATE ledger_accounts SET balance_minor = balance_minor + ${DEMO_STUDIO_FUNDS_MINOR} WHERE kind = 'external_funding'`;
    await tdb.db.service.deleteMany({ where: { agentId: "agt_demobrandstudio" } });
    await tdb.db.agent.delete({ where: { id: "agt_demobrandstudio" } });
    await tdb.db.user.delete({ where: { id: DEMO_ACCOUNTS.studio.id } });
    expect(await checkDatabaseLedger(tdb.db)).toEqual([]);

    expect(await seedDemoData(tdb.url)).toEqual({ created: true });
    expect(await tdb.db.agent.count()).toBe(4);
    expect(await usd(DEMO_ACCOUNTS.customer.id)).toBe(DEMO_CUSTOMER_FUNDS_MINOR); // not topped up twice
    expect(await usd(DEMO_ACCOUNTS.studio.id)).toBe(DEMO_STUDIO_FUNDS_MINOR);
  });
});
