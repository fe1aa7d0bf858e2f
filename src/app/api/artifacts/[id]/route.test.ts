// The chat's artifact route (the "chat" door of src/domain/artifact-access.ts): the customer of the
// conversation gets what the agent sent, never what the agent's owner sent with an instruction; the agent's
// owner and a moderator get both; another customer, another owner and an unknown id get the same 404.
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
  artifactDir = await mkdtemp(path.join(tmpdir(), "holdfast-chat-artifacts-"));
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
    new Request(`http://localhost:3000/api/artifacts/${id}${query}`, {
      headers: { ...(token ? { cookie: `next-auth.session-token=${token}` } : {}), ...extraHeaders },
    }),
    { params: Promise.resolve({ id }) },
  );
}

describe("/api/artifacts/{id}", () => {
  it("serves the conversation's customer the agent's file but not the owner's instruction file", async () => {
    const token = await session(parties.customerId);
    const response = await get(agentFile.id, token);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
    expect(response.headers.get("etag")).toBe(`"${agentFile.sha256}"`);
    expect((await get(ownerFile.id, token)).status).toBe(404);
  });

  it("serves the agent's owner and a moderator both files", async () => {
    const admin = await createUser(tdb.db, "admin", "Morgan");
    for (const userId of [parties.ownerId, admin.id]) {
      const token = await session(userId);
      for (const artifact of [agentFile, ownerFile]) expect((await get(artifact.id, token)).status).toBe(200);
    }
  });

  it("refuses another customer and another owner exactly like an unknown id, and asks a visitor to sign in", async () => {
    const strangers = [await createUser(tdb.db, "customer", "Stranger"), await createUser(tdb.db, "owner", "Other owner")];
    const unknown = await (await get(`art_${"0".repeat(20)}`, await session(strangers[0]!.id))).text();
    expect(JSON.parse(unknown)).toMatchObject({ error: { code: "not_found" } });
    for (const stranger of strangers) {
      const token = await session(stranger.id);
      for (const artifact of [agentFile, ownerFile]) {
        const response = await get(artifact.id, token);
        expect(response.status).toBe(404);
        expect(await response.text()).toBe(unknown);
      }
    }
    expect((await get(agentFile.id)).status).toBe(401);
  });
});
