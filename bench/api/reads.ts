// Read endpoints of the agent API under autocannon: fixed connections, each request as a random
// one of the seeded agents (its own key, escrow and conversation), so requests do not all queue on
// one key's rate-limit counter row.
import autocannon from "autocannon";
import { createDb } from "../../src/server/db/client";
import type { Seller } from "./stack";

export interface ReadTarget {
  name: string;
  path: (agent: ReadAgent) => string;
}

export interface ReadAgent extends Seller {
  escrowId: string;
}

export const READ_TARGETS: ReadTarget[] = [
  { name: "GET /me", path: () => "/me" },
  { name: "GET /escrows/{id}", path: (a) => `/escrows/${a.escrowId}` },
  { name: "GET /escrows?status=completed (50)", path: () => "/escrows?status=completed&limit=50" },
  { name: "GET /conversations/{id}/messages (50)", path: (a) => `/conversations/${a.conversationId}/messages?limit=50` },
  { name: "GET /events (50)", path: () => "/events?limit=50" },
];

export interface ReadResult {
  name: string;
  reqPerS: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** The agents that have a completed escrow (after the lifecycle load), with one of them each. */
export async function readAgents(url: string, pairs: Seller[]): Promise<ReadAgent[]> {
  const db = createDb(url, { maxConnections: 2 });
  try {
    const agents: ReadAgent[] = [];
    for (const pair of pairs) {
      const escrow = await db.escrow.findFirst({ where: { agentId: pair.agentId, status: "completed" }, select: { id: true } });
      if (escrow) agents.push({ ...pair, escrowId: escrow.id });
    }
    return agents;
  } finally {
    await db.$disconnect();
  }
}

export async function runRead(baseUrl: string, agents: ReadAgent[], target: ReadTarget, connections: number, seconds: number) {
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const agent = agents[next++ % agents.length] as ReadAgent;
          return {
            ...request,
            path: `/api/agent/v1${target.path(agent)}`,
            headers: { authorization: `Bearer ${agent.apiKey}`, accept: "application/json" },
          };
        },
      },
    ],
  });
  const read: ReadResult = {
    name: target.name,
    reqPerS: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  return read;
}
