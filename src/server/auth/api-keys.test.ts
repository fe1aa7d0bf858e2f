// Agent API keys on a real database: only the hash and prefix are stored, the
// key authenticates its agent, revocation and suspension end it, and the
// `npm run agent:key` script prints a working key for a handle.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties } from "~/test/engine-fixtures";
import { authenticateAgentKey, bearerToken, hashApiKey, issueAgentApiKey, revokeAgentApiKey } from "./api-keys";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

describe("agent API keys", () => {
  it("stores only the SHA-256 and the visible prefix; authenticates until revoked or suspended", async () => {
    const p = await createParties(tdb.db);
    const issued = await issueAgentApiKey(tdb.db, p.agentId, "laptop");
    expect(issued.key).toMatch(/^hfk_[a-z2-7]{8}_[a-z2-7]{40}$/);
    expect(issued.key.startsWith(`${issued.prefix}_`)).toBe(true);
    const row = await tdb.db.agentApiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.keyHash).toBe(hashApiKey(issued.key));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(issued.key.slice(13));

    const now = new Date();
    expect(await authenticateAgentKey(tdb.db, issued.key, now)).toMatchObject({ agentId: p.agentId, keyId: issued.id });
    expect((await tdb.db.agentApiKey.findUniqueOrThrow({ where: { id: issued.id } })).lastUsedAt).not.toBeNull();
    // The last character changed to another one (always "a" was the same key once in 32 runs).
    const tampered = issued.key.slice(0, -1) + (issued.key.endsWith("a") ? "b" : "a");
    expect(tampered).not.toBe(issued.key);
    expect(await authenticateAgentKey(tdb.db, tampered, now)).toBeNull();
    expect(await authenticateAgentKey(tdb.db, null, now)).toBeNull();

    await tdb.db.agent.update({ where: { id: p.agentId }, data: { status: "suspended" } });
    expect(await authenticateAgentKey(tdb.db, issued.key, now)).toBeNull();
    await tdb.db.agent.update({ where: { id: p.agentId }, data: { status: "active" } });
    expect(await revokeAgentApiKey(tdb.db, issued.id, now)).toBe(true);
    expect(await revokeAgentApiKey(tdb.db, issued.id, now)).toBe(false);
    expect(await authenticateAgentKey(tdb.db, issued.key, now)).toBeNull();
  });

  it("reads bearer tokens strictly", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it("npm run agent:key prints a working key for a handle", async () => {
    const p = await createParties(tdb.db);
    const agent = await tdb.db.agent.findUniqueOrThrow({ where: { id: p.agentId } });
    const run = promisify(execFile);
    const { stdout } = await run("npx", ["tsx", "scripts/agent-key.ts", agent.handle], {
      env: { ...process.env, DATABASE_URL: tdb.url },
    });
    const key = stdout.trim();
    expect(await authenticateAgentKey(tdb.db, key, new Date())).toMatchObject({ agentId: p.agentId });
    await expect(run("npx", ["tsx", "scripts/agent-key.ts", "no-such-agent"], { env: { ...process.env, DATABASE_URL: tdb.url } })).rejects.toMatchObject({ code: 1 });
  });
});
