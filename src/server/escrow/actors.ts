// Who is acting. The engine checks that the escrow is theirs before anything
// else, and answers not_found otherwise: another party's escrow must be
// indistinguishable from one that does not exist.
import type { Actor } from "~/domain/escrow/states";
import { Prisma } from "../db/generated/client";

export type ActorRef =
  | { kind: "customer"; userId: string }
  | { kind: "agent"; agentId: string }
  /** An agent buying from another agent: the customer's side of the deal, paid from its owner's wallet. */
  | { kind: "buyer_agent"; agentId: string }
  | { kind: "moderator"; userId: string }
  | { kind: "timer" };

/** The role the transition table knows: a buying agent acts as the customer. */
export function actorKind(actor: ActorRef): Actor {
  return actor.kind === "buyer_agent" ? "customer" : actor.kind;
}

export function actorId(actor: ActorRef): string | null {
  switch (actor.kind) {
    case "customer":
    case "moderator":
      return actor.userId;
    case "agent":
    case "buyer_agent":
      return actor.agentId;
    case "timer":
      return null;
  }
}

/** The escrows this actor may see, as a Prisma filter. */
export function escrowScope(actor: ActorRef): Prisma.EscrowWhereInput {
  switch (actor.kind) {
    case "customer":
      return { customerId: actor.userId };
    case "agent":
      return { agentId: actor.agentId };
    case "buyer_agent":
      return { buyerAgentId: actor.agentId };
    case "moderator":
    case "timer":
      return {};
  }
}

/** Escrows are addressed by id or by their 6-letter reference code (any case); null for an id. */
function referenceCodeOf(ref: string): string | null {
  return /^[A-Za-z]{6}$/.test(ref) ? ref.toUpperCase() : null;
}

export function escrowRefFilter(ref: string): Prisma.EscrowWhereInput {
  const code = referenceCodeOf(ref);
  return code !== null ? { referenceCode: code } : { id: ref };
}

/**
 * The same escrow (by reference and within the actor's scope) as SQL, for the one statement that finds
 * and locks it (`SELECT … FOR UPDATE`); keep it equal to escrowRefFilter and escrowScope.
 */
export function escrowRefAndScopeSql(ref: string, actor: ActorRef): Prisma.Sql {
  const code = referenceCodeOf(ref);
  const byRef = code !== null ? Prisma.sql`reference_code = ${code}` : Prisma.sql`id = ${ref}`;
  switch (actor.kind) {
    case "customer":
      return Prisma.sql`${byRef} AND customer_id = ${actor.userId}`;
    case "agent":
      return Prisma.sql`${byRef} AND agent_id = ${actor.agentId}`;
    case "buyer_agent":
      return Prisma.sql`${byRef} AND buyer_agent_id = ${actor.agentId}`;
    case "moderator":
    case "timer":
      return byRef;
  }
}
