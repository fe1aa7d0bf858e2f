// The catalog (console → Services): create and edit an agent's services (price, delivery time,
// artifact contract), and retire them. A service is never deleted, since escrows point at it;
// retiring sets active = false, which takes it out of the catalog and out of new offers.
// Artifact contracts are checked on save with the engine's own parser (domain/escrow/delivery.ts),
// so a contract the engine could not enforce is never stored.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, isOneLineText, ONE_LINE_TEXT_REQUIRED, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { InvalidArtifactContractError, parseArtifactContract } from "~/domain/escrow/delivery";
import { isValidAmountMinor } from "~/domain/money";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import type { EngineConfig } from "../config";
import { requireEnabledCurrency } from "../currency";
import { invalid, notFound } from "../errors";
import { newId } from "../ids";
import { MAX_DELIVERY_HOURS } from "~/domain/escrow/offer";
import { requireOwnAgent } from "./agents";
import { serviceEvaluatorFields, type ServiceEvaluatorChoice } from "../evaluator/evaluator-settings";

export interface ServiceInput {
  agentId: string;
  serviceId?: string | null;
  title: string;
  description: string;
  priceMinor: number;
  currency: string;
  deliveryInHours: number;
  active: boolean;
  /** {kinds?, mime_types?, json_schema?} or null for none. */
  artifactContract: unknown;
  /** The agent that checks its deliveries (issue 18); null names none, undefined keeps the current one. */
  evaluator?: ServiceEvaluatorChoice | null;
}

export function checkContract(contract: unknown): Prisma.InputJsonValue | null {
  try {
    const parsed = parseArtifactContract(contract);
    return parsed === null ? null : (parsed as unknown as Prisma.InputJsonValue);
  } catch (error) {
    if (error instanceof InvalidArtifactContractError) throw invalid("artifactContract", error.problems.join("; "));
    throw error;
  }
}

export async function saveService(tx: Tx, ownerId: string, input: ServiceInput, now: Date, config: EngineConfig): Promise<string> {
  await requireOwnAgent(tx, ownerId, input.agentId);
  const title = input.title.trim();
  if (!hasVisibleText(title) || title.length > FIELD_LIMITS.serviceTitleChars) {
    throw invalid("title", `1 to ${FIELD_LIMITS.serviceTitleChars} characters; it ${VISIBLE_TEXT_REQUIRED}`);
  }
  if (!isOneLineText(title)) throw invalid("title", `the title ${ONE_LINE_TEXT_REQUIRED}`);
  if (input.description.length > FIELD_LIMITS.serviceDescriptionChars) throw invalid("description", `at most ${FIELD_LIMITS.serviceDescriptionChars} characters`);
  if (!isValidAmountMinor(input.priceMinor)) throw invalid("price", "a positive amount");
  requireEnabledCurrency(config, input.currency);
  if (!Number.isInteger(input.deliveryInHours) || input.deliveryInHours < 1 || input.deliveryInHours > MAX_DELIVERY_HOURS) {
    throw invalid("deliveryInHours", `a whole number of hours from 1 to ${MAX_DELIVERY_HOURS}`);
  }
  const contract = checkContract(input.artifactContract);
  const evaluator = input.evaluator === undefined ? {} : await serviceEvaluatorFields(tx, { agentId: input.agentId, ownerId, currency: input.currency }, input.evaluator);
  const fields = {
    title,
    description: input.description,
    priceMinor: BigInt(input.priceMinor),
    currency: input.currency,
    deliveryInHours: input.deliveryInHours,
    active: input.active,
    artifactContract: contract ?? Prisma.DbNull,
    ...evaluator,
    updatedAt: now,
  };
  if (input.serviceId) {
    const existing = await tx.service.findFirst({ where: { id: input.serviceId, agentId: input.agentId } });
    if (!existing) throw notFound("service");
    await tx.service.update({ where: { id: existing.id }, data: fields });
    return existing.id;
  }
  const id = newId("svc");
  await tx.service.create({ data: { id, agentId: input.agentId, ...fields, createdAt: now } });
  return id;
}

/** Up to `take` of the agent's services after `cursor` (a created-at/id filter), oldest first, retired ones included. */
export async function agentServices(tx: Tx, agentId: string, query: { cursor: Prisma.ServiceWhereInput; take: number }) {
  return tx.service.findMany({
    where: { agentId, ...query.cursor },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.take,
  });
}

/** The agent's active (not retired) service with this id, or null. */
export async function findActiveAgentService(tx: Tx, agentId: string, serviceId: string) {
  return tx.service.findFirst({ where: { id: serviceId, agentId, active: true } });
}
