// What the agent API needs from the process: the engine, the artifact store,
// the feed notifier and its settings. Tests build their own; the Next route
// handlers share one per process (defaultAgentApiDeps).
import { env } from "~/env";
import { defaultEngineContext, type EngineContext } from "../context";
import { getDb } from "../db/client";
import { defaultArtifactDir, LocalDiskStorage, type ArtifactStorage } from "../artifacts/storage";
import { PgFeedNotifier, type FeedNotifier } from "../events/feed";
import type { RateLimitPolicy } from "../rate-limit/rate-limit";
import { TokenBuckets } from "../rate-limit/token-buckets";
import { CachedAgentKeys, type AgentKeyAuthenticator } from "../auth/agent-key-cache";

export interface AgentApiSettings {
  maxArtifactBytes: number;
  maxJsonBodyBytes: number;
  rateLimit: RateLimitPolicy;
  /** Longest long-poll, in seconds (PROTOCOL: 30). */
  maxWaitS: number;
}

export interface AgentApiDeps {
  engine: EngineContext;
  storage: ArtifactStorage;
  feed: FeedNotifier;
  settings: AgentApiSettings;
  /** Key → agent, cached in the process and dropped on every access change (LISTEN/NOTIFY). */
  keys: AgentKeyAuthenticator;
  /** The per-key rate limit, in memory (this process's share of it). */
  limiter: TokenBuckets;
}

function agentApiSettingsFromEnv(): AgentApiSettings {
  const e = env();
  return {
    maxArtifactBytes: e.HOLDFAST_MAX_ARTIFACT_BYTES,
    maxJsonBodyBytes: e.HOLDFAST_MAX_JSON_BODY_BYTES,
    rateLimit: { limit: e.HOLDFAST_AGENT_RATE_LIMIT, windowS: e.HOLDFAST_AGENT_RATE_WINDOW_S },
    maxWaitS: 30,
  };
}

const globalForApi = globalThis as unknown as { holdfastAgentApiDeps?: AgentApiDeps };

/** One set per process: the LISTEN connections, one artifact store, one key cache and rate limiter. */
export function defaultAgentApiDeps(): AgentApiDeps {
  if (!globalForApi.holdfastAgentApiDeps) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start Holdfast with `npm start`.");
    globalForApi.holdfastAgentApiDeps = {
      engine: defaultEngineContext(),
      storage: new LocalDiskStorage(defaultArtifactDir()),
      feed: new PgFeedNotifier(url),
      settings: agentApiSettingsFromEnv(),
      keys: new CachedAgentKeys(getDb(), url),
      limiter: new TokenBuckets(env().HOLDFAST_SERVER_PROCESSES),
    };
  }
  return globalForApi.holdfastAgentApiDeps;
}
