// Agent API keys, authenticated without a database round trip on the hot path and without a write per
// request. Each process keeps the key → agent answers it has read, and drops ALL of them when PostgreSQL
// notifies `holdfast_agent_access` (triggers on agent_api_keys, agents and users, migration
// r_agent_access_notify: a revocation, a suspension, a rename notifies in its own transaction and the
// notification arrives when it commits). The cache is used only while the LISTEN connection is up: before
// it is, and from the moment it errors or ends, every request reads the database again, so a lost
// connection can never keep a revoked key alive. A lookup that raced a notification is not cached
// (generation check), so a row read before the revocation committed cannot outlive the notification.
// The notification is asynchronous: under load it can arrive after the owner's "rotated" answer and the
// agent's next request. So the services that turn a credential away also call agentAccessChanged() once
// their transaction has committed, which drops every cache of this process at once; the notification
// remains what reaches the other processes (and any write path that forgets the call).
//
// `last_used_at` (a minute's resolution, shown to owners) is stamped in memory and written in one
// batched UPDATE per interval (and on close) instead of from inside a request.
import pg from "pg";
import type { Db } from "../db/client";
import { hashApiKey, KEY_PREFIX, lookupAgentKey, type AuthenticatedAgent } from "./api-keys";

export const AGENT_ACCESS_CHANNEL = "holdfast_agent_access";

const LAST_USED_RESOLUTION_MS = 60_000;
const DEFAULT_FLUSH_EVERY_MS = 60_000;
/** A cache that never forgets would grow with every key ever used; past this it starts over. */
const MAX_ENTRIES = 50_000;
const RETRY_LISTEN_AFTER_MS = 5_000;

/** Every live cache of this process, on globalThis: Next bundles route handlers with their own module copies. */
const globalForCaches = globalThis as unknown as { holdfastAgentKeyCaches?: Set<CachedAgentKeys> };
function liveCaches(): Set<CachedAgentKeys> {
  return (globalForCaches.holdfastAgentKeyCaches ??= new Set());
}

/**
 * Call after a transaction that revoked, replaced or suspended a credential has committed: from here
 * on, this process reads the database for every key (until the caches fill again from fresh rows).
 */
export function agentAccessChanged(): void {
  for (const cache of liveCaches()) cache.dropCached();
}

export interface AgentKeyAuthenticator {
  authenticate(key: string | null, now: Date): Promise<AuthenticatedAgent | null>;
  close(): Promise<void>;
}

export class CachedAgentKeys implements AgentKeyAuthenticator {
  private readonly entries = new Map<string, AuthenticatedAgent>();
  /** Bumped by every notification and every change of the LISTEN connection. */
  private generationCount = 0;
  private listener: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  /** After a failed connection, the next attempt waits (requests meanwhile read the database). */
  private retryAtMs = 0;
  /** Last stamp per key id (written or pending), and the stamps not yet written. */
  private readonly stamped = new Map<string, number>();
  private readonly pendingStamps = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    /** The database to LISTEN on; null caches nothing (every request reads the database). */
    private readonly databaseUrl: string | null,
    options: { flushEveryMs?: number } = {},
  ) {
    this.flushTimer = setInterval(() => void this.flushLastUsed(), options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS);
    this.flushTimer.unref();
    liveCaches().add(this);
    this.ensureListening();
  }


  /** Changes whenever cached answers were dropped (tests wait on it for a notification's arrival). */
  get generation(): number {
    return this.generationCount;
  }

  /** True while the cache is in use (the LISTEN connection is up). */
  get caching(): boolean {
    return this.listener !== null;
  }

  /** Resolves once the LISTEN connection is up (or could not be set up). */
  async ready(): Promise<void> {
    this.ensureListening();
    await this.connecting;
  }

  async authenticate(key: string | null, now: Date): Promise<AuthenticatedAgent | null> {
    if (!key || key.length > 200 || !key.startsWith(KEY_PREFIX)) return null;
    this.ensureListening();
    const hash = hashApiKey(key);
    const cached = this.listener ? this.entries.get(hash) : undefined;
    if (cached) {
      this.stamp(cached.keyId, null, now);
      return cached;
    }
    const generation = this.generationCount;
    const row = await lookupAgentKey(this.db, hash);
    if (!row) return null;
    // Cached only if nothing was dropped while we read: a notification in between may be about this key.
    if (this.listener && generation === this.generationCount) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(hash, row.agent);
    }
    this.stamp(row.agent.keyId, row.lastUsedAt, now);
    return row.agent;
  }

  private stamp(keyId: string, storedLastUsedAt: Date | null, now: Date): void {
    const last = Math.max(this.stamped.get(keyId) ?? -Infinity, storedLastUsedAt?.getTime() ?? -Infinity);
    if (now.getTime() - last <= LAST_USED_RESOLUTION_MS) return;
    this.stamped.set(keyId, now.getTime());
    this.pendingStamps.set(keyId, now);
  }

  /** Writes the pending `last_used_at` stamps in one statement (never moving a stamp back). */
  flushLastUsed(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pendingStamps.size === 0) return;
      const batch = [...this.pendingStamps];
      this.pendingStamps.clear();
      const ids = batch.map(([id]) => id);
      const stamps = batch.map(([, at]) => at.toISOString());
      try {
        await this.db.$executeRaw`
          UPDATE agent_api_keys k SET last_used_at = v.at
            FROM unnest(${ids}::text[], ${stamps}::timestamptz[]) AS v(id, at)
           WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)`;
      } catch {
        // A stamp is informational: a failed flush is retried with the next one.
        for (const [id, at] of batch) if (!this.pendingStamps.has(id)) this.pendingStamps.set(id, at);
      }
      // Forget stamps old enough that the next use writes anyway (bounded memory).
      const horizon = Date.now() - 2 * LAST_USED_RESOLUTION_MS;
      for (const [id, at] of this.stamped) if (at < horizon && !this.pendingStamps.has(id)) this.stamped.delete(id);
    });
    return this.flushing;
  }

  /** Forgets every cached answer (agentAccessChanged, every notification, a lost connection). */
  dropCached(): void {
    this.generationCount++;
    this.entries.clear();
  }

  private ensureListening(): void {
    if (this.listener || this.connecting || this.closed || !this.databaseUrl || Date.now() < this.retryAtMs) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    this.connecting = (async () => {
      try {
        client.on("notification", (message) => {
          if (message.channel === AGENT_ACCESS_CHANNEL) this.dropCached();
        });
        const lost = () => {
          if (this.listener === client) this.listener = null;
          this.dropCached();
          client.end().catch(() => undefined);
        };
        client.on("error", lost);
        client.on("end", lost);
        await client.connect();
        await client.query(`LISTEN ${AGENT_ACCESS_CHANNEL}`);
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        // Nothing was cached while not listening; anything read before this point is not cached either.
        this.dropCached();
        this.listener = client;
      } catch {
        // Uncached until a request after the back-off tries again.
        this.retryAtMs = Date.now() + RETRY_LISTEN_AFTER_MS;
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = null;
      }
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    liveCaches().delete(this);
    clearInterval(this.flushTimer);
    await this.connecting;
    const client = this.listener;
    this.listener = null;
    this.dropCached();
    if (client) await client.end().catch(() => undefined);
    await this.flushLastUsed();
  }
}
