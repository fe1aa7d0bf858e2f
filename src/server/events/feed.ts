// Reading the agent's feed, with long polling that does not busy-loop the
// database: a reader that finds nothing subscribes to PostgreSQL notifications
// for its agent (appendAgentEvent NOTIFYs on commit) and reads again only when
// woken, or after a slow fallback interval in case the listening connection
// is down.
import pg from "pg";
import type { AgentEvent } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { AGENT_EVENTS_CHANNEL } from "./agent-events";

export interface FeedSubscription {
  /** Resolves when an event for the agent may have committed, or after `ms`. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  cancel(): void;
}

export interface FeedNotifier {
  subscribe(agentId: string): FeedSubscription;
  /** The longest a reader sleeps without a notification before reading again. */
  readonly fallbackPollMs: number;
  close(): Promise<void>;
}

/** One LISTEN connection per process, shared by every waiting reader. */
export class PgFeedNotifier implements FeedNotifier {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    readonly fallbackPollMs = 5_000,
  ) {}

  private ensureListening(): void {
    if (this.client || this.connecting || this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    this.connecting = (async () => {
      try {
        client.on("notification", (message) => {
          if (message.channel === AGENT_EVENTS_CHANNEL && message.payload) this.wake(message.payload);
        });
        client.on("error", () => this.drop(client));
        client.on("end", () => this.drop(client));
        await client.connect();
        await client.query(`LISTEN ${AGENT_EVENTS_CHANNEL}`);
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.client = client;
        // Events committed before this point were announced to nobody (a NOTIFY reaches only sessions
        // already listening): readers that subscribed while it connected re-read now, not at the slow poll.
        for (const agentId of [...this.waiters.keys()]) this.wake(agentId);
      } catch {
        // Readers fall back to the slow poll; the next subscribe tries again.
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = null;
      }
    })();
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.client = null;
    // Anything may have happened while we were not listening: wake everyone to re-read.
    for (const agentId of [...this.waiters.keys()]) this.wake(agentId);
  }

  private wake(agentId: string): void {
    const set = this.waiters.get(agentId);
    if (!set) return;
    for (const resolve of set) resolve();
  }

  subscribe(agentId: string): FeedSubscription {
    this.ensureListening();
    let notified = false;
    let resolveWait: (() => void) | null = null;
    const onNotify = () => {
      notified = true;
      resolveWait?.();
    };
    let set = this.waiters.get(agentId);
    if (!set) {
      set = new Set();
      this.waiters.set(agentId, set);
    }
    set.add(onNotify);
    const cancel = () => {
      const current = this.waiters.get(agentId);
      current?.delete(onNotify);
      if (current && current.size === 0) this.waiters.delete(agentId);
      resolveWait?.();
    };
    return {
      cancel,
      wait: (ms, signal) =>
        new Promise<void>((resolve) => {
          if (notified || signal?.aborted) return resolve();
          const timer = setTimeout(done, Math.max(0, ms));
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
          }
          resolveWait = done;
          signal?.addEventListener("abort", done, { once: true });
        }),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
    for (const agentId of [...this.waiters.keys()]) this.wake(agentId);
  }
}

export function readAgentEvents(db: Tx, agentId: string, afterSeq: bigint, limit: number): Promise<AgentEvent[]> {
  return db.agentEvent.findMany({
    where: { agentId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
}

export interface LongPollOptions {
  afterSeq: bigint;
  limit: number;
  waitMs: number;
  signal?: AbortSignal;
}

/** Events after the cursor; when there are none, waits up to `waitMs` for one to commit. */
export async function longPollAgentEvents(
  db: Tx,
  notifier: FeedNotifier,
  agentId: string,
  options: LongPollOptions,
): Promise<AgentEvent[]> {
  const first = await readAgentEvents(db, agentId, options.afterSeq, options.limit);
  if (first.length > 0 || options.waitMs <= 0) return first;
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    // Subscribe before reading, so an event committing between the read and
    // the wait still wakes us.
    const subscription = notifier.subscribe(agentId);
    try {
      const events = await readAgentEvents(db, agentId, options.afterSeq, options.limit);
      if (events.length > 0) return events;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || options.signal?.aborted) return [];
      await subscription.wait(Math.min(remaining, notifier.fallbackPollMs), options.signal);
    } finally {
      subscription.cancel();
    }
  }
}
