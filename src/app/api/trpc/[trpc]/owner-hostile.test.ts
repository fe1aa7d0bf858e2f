// Issue 16's owner-console attacks as a browser would send them, through the tRPC route: webhook URLs
// aimed at the server's own network are 400 with nothing stored, test sends flood into 429, and the
// same address typed by two owners answers both alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "~/test/db";
import { openTrpcRoute, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";

let tdb: TestDatabase;
let handler: (request: Request) => Promise<Response> | Response;
let session: (userId: string) => Promise<string>;
let route: TrpcRoute;

beforeAll(async () => {
  route = await openTrpcRoute();
  ({ tdb, POST: handler, createSession: session } = route);
});
afterAll(() => route.close());

async function mutate(path: string, token: string, input: unknown): Promise<{ status: number; body: string }> {
  const response = await handler(
    new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { origin: "http://localhost:3000", "x-holdfast-csrf": "1", "content-type": "application/json", cookie: `next-auth.session-token=${token}` },
      body: JSON.stringify({ json: input }),
    }),
  );
  return { status: response.status, body: await response.text() };
}

describe("owner console under attack, over HTTP", () => {
  it("answers 400 to internal webhook targets and stores nothing", async () => {
    const owner = await createUser(tdb.db, "owner", "Olivia");
    const token = await session(owner.id);
    const agentId = "agt_hostile_webhook";
    await tdb.db.agent.create({ data: { id: agentId, ownerId: owner.id, handle: "hostile-webhook", displayName: "Hook" } });
    for (const url of [
      "http://127.0.0.1:5432/",
      "http://localhost:3000/api/trpc/admin.decide",
      "http://[::1]/",
      "http://0.0.0.0:22/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://user:pw@hooks.example.com/",
    ]) {
      const { status, body } = await mutate("owner.setWebhook", token, { agentId, url });
      expect(status, url).toBe(400);
      expect(body).toContain("Invalid url");
    }
    expect(await tdb.db.agent.findUniqueOrThrow({ where: { id: agentId } })).toMatchObject({ webhookUrl: null });
  });

  it("answers 429 once test sends are spent", async () => {
    const owner = await createUser(tdb.db, "owner", "Tess");
    const token = await session(owner.id);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await mutate("owner.sendTest", token, { channel: "email" })).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(await tdb.db.notification.count({ where: { userId: owner.id, template: "channel_test" } })).toBe(statuses.filter((s) => s === 200).length);
  });

  it("gives a second owner typing a verified address the same answer as a fresh one", async () => {
    const a = await createUser(tdb.db, "owner", "Ann");
    await tdb.db.ownerChannel.create({ data: { id: "och_verified_taken", ownerId: a.id, channel: "whatsapp", address: "15550199001", verifiedAt: new Date() } });
    const b = await session((await createUser(tdb.db, "owner", "Ben")).id);
    const c = await session((await createUser(tdb.db, "owner", "Cat")).id);
    const taken = await mutate("owner.saveChannel", b, { channel: "whatsapp", address: "+1 555 019 9001" });
    const fresh = await mutate("owner.saveChannel", c, { channel: "whatsapp", address: "+1 555 019 9002" });
    expect(taken).toEqual(fresh);
    expect(taken.status).toBe(200);
  });
});
