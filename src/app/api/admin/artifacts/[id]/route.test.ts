// The moderators' artifact route: a moderator gets the bytes of any
// artifact in a case file (owner instructions' files included); the case's
// customer, the agent's owner, another customer and a visitor get nothing —
// the same 404 as an unknown id, with no bytes, name or hash in the answer.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentKey, LocalDiskStorage } from "~/server/artifacts/storage";
import { insertArtifact } from "~/server/artifacts/record";
import { inTransaction } from "~/server/db/transaction";
import { newId } from "~/server/ids";
import { createParties, type Parties } from "~/test/engine-fixtures";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createUser } from "~/test/users";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3, 4]);

let tdb: TestDatabase;
let artifactDir: string;
let handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;
let session: (userId: string) => Promise<string>;
let parties: Parties;
let agentFile: { id: string; sha256: string };
let ownerFile: { id: string; sha256: string };

async function artifactInMessage(p: Parties, role: "agent" | "owner", name: string, bytes: Uint8Array) {
  return inTransaction(tdb.db, async (tx) => {
    const message = await tx.message.create({
      data: { id: newId("msg"), conversationId: p.conversationId, role, trusted: role === "owner", text: `${role} message` },
    });
    const stored = await insertArtifact(tx, { agentId: p.agentId, kind: "image", mimeType: "image/png", name, bytes, now: new Date() });
    await new LocalDiskStorage(artifactDir).put(contentKey(stored.sha256), bytes);
    return tx.artifact.update({ where: { id: stored.id }, data: { messageId: message.id, storageKey: contentKey(stored.sha256) } });
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  artifactDir = await mkdtemp(path.join(tmpdir(), "holdfast-admin-artifacts-"));
  process.env.DATABASE_URL = tdb.url;
  process.env.NEXTAUTH_SECRET = "t".repeat(40);
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  process.env.HOLDFAST_ARTIFACT_DIR = artifactDir;
  handler = (await import("./route")).GET;
  const { holdfastAdapter } = await import("~/server/auth/adapter");
  const adapter = holdfastAdapter(tdb.db);
  session = async (userId) => {
    const sessionToken = `tok${Math.random().toString(36).slice(2)}${"x".repeat(20)}`;
    await adapter.createSession!({ sessionToken, userId, expires: new Date(Date.now() + 3_600_000) });
    return sessionToken;
  };
  parties = await createParties(tdb.db);
  agentFile = await artifactInMessage(parties, "agent", "logo.png", PNG);
  ownerFile = await artifactInMessage(parties, "owner", "instructions-sketch.png", new Uint8Array([...PNG, 9]));
});

afterAll(async () => {
  const { getDb } = await import("~/server/db/client");
  await getDb().$disconnect();
  await tdb.drop();
  await rm(artifactDir, { recursive: true, force: true });
});

function get(id: string, token?: string, query = "", extraHeaders: Record<string, string> = {}) {
  return handler(
    new Request(`http://localhost:3000/api/admin/artifacts/${id}${query}`, {
      headers: { ...(token ? { cookie: `next-auth.session-token=${token}` } : {}), ...extraHeaders },
    }),
    { params: Promise.resolve({ id }) },
  );
}

describe("/api/admin/artifacts/{id}", () => {
  it("serves a moderator any artifact of a case, owner instructions' files included, as untrusted bytes", async () => {
    const admin = await createUser(tdb.db, "admin", "Morgan");
    const token = await session(admin.id);
    for (const artifact of [agentFile, ownerFile]) {
      const response = await get(artifact.id, token);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("sandbox");
      expect(response.headers.get("etag")).toBe(`"${artifact.sha256}"`);
    }
    expect(new Uint8Array(await (await get(agentFile.id, token)).arrayBuffer())).toEqual(PNG);
    const download = await get(agentFile.id, token, "?download");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="logo.png"/);
  });

  it("refuses the case's customer, the agent's owner and another customer exactly like an unknown id", async () => {
    const stranger = await createUser(tdb.db, "customer", "Stranger");
    const people = [parties.customerId, parties.ownerId, stranger.id];
    const unknown = await (await get(`art_${"0".repeat(20)}`, await session(stranger.id))).text();
    expect(JSON.parse(unknown)).toMatchObject({ error: { code: "not_found" } });
    for (const userId of people) {
      const token = await session(userId);
      for (const artifact of [agentFile, ownerFile]) {
        const response = await get(artifact.id, token);
        expect(response.status).toBe(404);
        const body = await response.text();
        expect(body).toBe(unknown);
        expect(body).not.toContain(artifact.sha256);
        expect(body).not.toContain(".png");
        expect(response.headers.get("etag")).toBeNull();
        expect(response.headers.get("content-disposition")).toBeNull();
      }
    }
  });

  it("asks a visitor to sign in, without saying whether the artifact exists", async () => {
    const known = await get(agentFile.id);
    const unknown = await get("art_nothing");
    expect(known.status).toBe(401);
    // The only difference is the id the visitor typed, in the sign-in link back to it.
    expect((await known.text()).replaceAll(agentFile.id, "ID")).toBe((await unknown.text()).replaceAll("art_nothing", "ID"));
  });

  it("answers a person who opened the link in a browser with a page that says what to do", async () => {
    const navigation = { accept: "text/html,application/xhtml+xml", "sec-fetch-mode": "navigate" };
    const visitor = await get(agentFile.id, undefined, "", navigation);
    expect(visitor.status).toBe(401);
    expect(visitor.headers.get("content-type")).toContain("text/html");
    const page = await visitor.text();
    expect(page).toContain("<h1>Sign in to open this file</h1>");
    expect(page).toContain(`href="/sign-in?callbackUrl=${encodeURIComponent(`/api/admin/artifacts/${agentFile.id}`)}"`);

    const stranger = await createUser(tdb.db, "customer", "Browsing stranger");
    const refused = await get(agentFile.id, await session(stranger.id), "", navigation);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain("<h1>File not found</h1>");
  });
});
