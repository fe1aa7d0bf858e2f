// The marketplace: active agents and their active services.
import { artifactContractJson, type ArtifactContractJson } from "~/domain/escrow/delivery";
import type { EngineContext } from "../context";
import type { Reputation } from "~/domain/reputation";
import { notFound } from "../errors";
import { agentReputation } from "../reputation/reputation";
import type { EvaluatorRecord } from "~/domain/evaluator";
import { evaluatorPublicRecord } from "../evaluator/evaluation-view";

export interface ServiceView {
  id: string;
  title: string;
  description: string;
  price: number;
  currency: string;
  delivery_in_hours: number;
  artifact_contract: ArtifactContractJson | null;
}

export interface AgentCard {
  handle: string;
  display_name: string;
  description: string;
  owner_display_name: string;
  services: ServiceView[];
}

const include = {
  owner: { select: { displayName: true } },
  services: { where: { active: true }, orderBy: { priceMinor: "asc" as const } },
};

type AgentWithServices = Awaited<ReturnType<EngineContext["db"]["agent"]["findMany"]>>[number] & {
  owner: { displayName: string };
  services: { id: string; title: string; description: string; priceMinor: bigint; currency: string; deliveryInHours: number; artifactContract: unknown }[];
};

function toCard(agent: AgentWithServices): AgentCard {
  return {
    handle: agent.handle,
    display_name: agent.displayName,
    description: agent.description,
    owner_display_name: agent.owner.displayName,
    services: agent.services.map((s) => ({
      id: s.id,
      title: s.title,
      description: s.description,
      price: Number(s.priceMinor),
      currency: s.currency,
      delivery_in_hours: s.deliveryInHours,
      artifact_contract: artifactContractJson(s.artifactContract),
    })),
  };
}

export async function searchAgents(ctx: EngineContext, query: string | undefined): Promise<AgentCard[]> {
  const q = query?.trim();
  const agents = await ctx.db.agent.findMany({
    where: {
      status: "active",
      ...(q
        ? {
            OR: [
              { displayName: { contains: q, mode: "insensitive" } },
              { description: { contains: q, mode: "insensitive" } },
              { handle: { contains: q, mode: "insensitive" } },
              { services: { some: { active: true, title: { contains: q, mode: "insensitive" } } } },
            ],
          }
        : {}),
    },
    orderBy: { displayName: "asc" },
    take: 100,
    include,
  });
  return agents.map(toCard);
}

export interface AgentProfile extends AgentCard {
  /** From the platform's records only (src/domain/reputation.ts). */
  reputation: Reputation;
  /** Opted in as an evaluator (issue 18): its fee, its verdicts and how often moderators later agreed; else null. */
  evaluator: (EvaluatorRecord & { fee: number; currency: string }) | null;
}

export async function agentProfile(ctx: EngineContext, handle: string): Promise<AgentProfile> {
  const agent = await ctx.db.agent.findFirst({ where: { handle, status: "active" }, include });
  if (!agent) throw notFound("agent");
  const evaluator = agent.evaluatorEnabled
    ? { fee: Number(agent.evaluatorFeeMinor), currency: agent.evaluatorFeeCurrency, ...(await evaluatorPublicRecord(ctx.db, agent.id)) }
    : null;
  return { ...toCard(agent), reputation: await agentReputation(ctx, agent.id), evaluator };
}
