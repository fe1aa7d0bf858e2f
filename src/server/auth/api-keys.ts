// Agent API keys (PROTOCOL.md Conventions → Auth). A key is shown once, when
// it is issued; the database keeps only its SHA-256 and a short visible
// prefix to tell keys apart. A revoked key, a suspended agent or a suspended
// owner authenticates as nobody (401).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";

export const KEY_PREFIX = "hfk_";
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function randomBase32(chars: number): string {
  let out = "";
  for (const byte of randomBytes(chars)) out += BASE32[byte & 31];
  return out;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface IssuedApiKey {
  id: string;
  /** The whole key: show it once, never store it. */
  key: string;
  /** The visible part, e.g. `hfk_ab12cd34`. */
  prefix: string;
}

/** Issues a new key for the agent (`hfk_<8 visible>_<40 secret>`, 240 random bits in all). */
export async function issueAgentApiKey(db: Db | Tx, agentId: string, label = ""): Promise<IssuedApiKey> {
  const prefix = `${KEY_PREFIX}${randomBase32(8)}`;
  const key = `${prefix}_${randomBase32(40)}`;
  const id = newId("key");
  await db.agentApiKey.create({ data: { id, agentId, prefix, keyHash: hashApiKey(key), label } });
  return { id, key, prefix };
}

export async function revokeAgentApiKey(db: Db | Tx, keyId: string, now: Date): Promise<boolean> {
  const result = await db.agentApiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: now } });
  return result.count === 1;
}

export interface AuthenticatedAgent {
  agentId: string;
  keyId: string;
  handle: string;
}

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** A key's row, if it may authenticate: not revoked, its agent and owner active. A read only. */
export async function lookupAgentKey(db: Db, keyHash: string): Promise<{ agent: AuthenticatedAgent; lastUsedAt: Date | null } | null> {
  const row = await db.agentApiKey.findUnique({
    where: { keyHash },
    select: {
      id: true,
      revokedAt: true,
      lastUsedAt: true,
      agent: { select: { id: true, handle: true, status: true, owner: { select: { status: true } } } },
    },
  });
  if (!row || row.revokedAt !== null) return null;
  if (row.agent.status !== "active" || row.agent.owner.status !== "active") return null;
  return { agent: { agentId: row.agent.id, keyId: row.id, handle: row.agent.handle }, lastUsedAt: row.lastUsedAt };
}

/**
 * The agent a bearer key belongs to, or null for anything that must be answered 401, read and stamped
 * right away (one-shot callers). The agent API authenticates through CachedAgentKeys instead
 * (agent-key-cache.ts): no read of the database per request and no write.
 */
export async function authenticateAgentKey(db: Db, key: string | null, now: Date): Promise<AuthenticatedAgent | null> {
  if (!key || key.length > 200 || !key.startsWith(KEY_PREFIX)) return null;
  const found = await lookupAgentKey(db, hashApiKey(key));
  if (!found) return null;
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.agentApiKey.update({ where: { id: found.agent.keyId }, data: { lastUsedAt: now } });
  }
  return found.agent;
}
