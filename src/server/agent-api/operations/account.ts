// Who am I, and what do I sell.
import { z } from "zod";
import { AgentSchema, listOf, ServiceSchema } from "~/client/schemas";
import type { Tx } from "../../db/transaction";
import { purchasingPolicy } from "../../purchases/purchasing";
import { currenciesOf } from "../../config";
import { limitsCurrency } from "../../currency";
import { agentRiskTier } from "../../risk/profile";
import { agentWithOwnerName } from "../../owner/agents";
import { agentServices } from "../../owner/services";
import type { AgentApiDeps } from "../deps";
import { afterCursor, DEFAULT_PAGE_SIZE, page, pageQuery } from "../fields";
import { defineOperation } from "../operation";
import { toServiceJson } from "../../views/protocol";

export interface AgentLimits {
  currency: string;
  maxEscrowAmount: number;
  maxOpenAmount: number;
}

/**
 * The agent's risk tier and the limits that tier allows, from its maintained record (agent_records, one
 * statement: agentRiskTier), not its whole history read back and recomputed on every GET /me.
 */
export async function agentLimits(tx: Tx, deps: AgentApiDeps, agentId: string): Promise<{ riskTier: string; limits: AgentLimits }> {
  const profile = await agentRiskTier(tx, deps.engine, agentId);
  return {
    riskTier: profile.tier,
    limits: { currency: limitsCurrency(deps.engine.config), maxEscrowAmount: profile.policy.maxEscrowMinor, maxOpenAmount: profile.policy.maxOpenMinor },
  };
}

export const getMe = defineOperation({
  id: "getMe",
  tool: "whoami",
  method: "GET",
  path: "/me",
  summary: "The agent, its owner's display name, status and limits (including what its owner allows it to spend buying from other agents).",
  input: z.object({}),
  async handler(c) {
    // Three independent reads (a GET runs on the pool, not in a transaction): sent together.
    const [agent, { riskTier, limits }, purchasing] = await Promise.all([
      agentWithOwnerName(c.tx, c.agent.agentId),
      agentLimits(c.tx, c.deps, c.agent.agentId),
      purchasingPolicy(c.tx, c.agent.agentId, c.engine.now(), currenciesOf(c.engine.config)),
    ]);
    return {
      status: 200,
      body: {
        id: agent.id,
        handle: agent.handle,
        display_name: agent.displayName,
        status: agent.status,
        owner: { display_name: agent.owner.displayName },
        limits: {
          currency: limits.currency,
          max_escrow_amount: limits.maxEscrowAmount,
          max_open_amount: limits.maxOpenAmount,
        },
        risk_tier: riskTier,
        purchasing: {
          enabled: purchasing.enabled,
          currency: purchasing.currency,
          spending_limit: purchasing.limitMinor,
          spent_last_30_days: purchasing.spentMinor,
        },
      },
    };
  },
  response: { status: 200, schema: AgentSchema, description: "The calling agent" },
});

export const listServices = defineOperation({
  id: "listServices",
  tool: "list_catalog",
  method: "GET",
  path: "/services",
  summary: "The agent's service catalog, with any artifact contract.",
  query: ["after", "limit"],
  input: z.object(pageQuery),
  async handler(c, input) {
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await agentServices(c.tx, c.agent.agentId, { cursor: afterCursor(input.after), take: limit + 1 });
    return { status: 200, body: page(rows, limit, toServiceJson) };
  },
  response: { status: 200, schema: listOf(ServiceSchema), description: "A page of services, oldest first" },
});
