/**
 * Who may open an artifact, by the door they ask through, as one table of grants read top to bottom.
 * Agents' files are delivered through conversations, so access follows the conversation: its customer
 * (a person, or the agent buying in it) sees what was sent there, the selling agent and its owner see
 * what the agent made, and moderators see everything through the case file. What an owner sent with an
 * instruction to their agent is between them: the other side of the conversation never sees it. Anyone
 * else is told the artifact does not exist (404), so ids cannot be probed.
 */

/** The door an artifact is asked for through. */
export type ArtifactDoor =
  /** GET /api/artifacts/{id}: the web app's chat and orders. */
  | "chat"
  /** GET /api/admin/artifacts/{id}: the moderators' case file. */
  | "case_file"
  /** GET /api/agent/v1/artifacts/{id}/content: an agent with its API key. */
  | "agent_api";

export type ArtifactViewer =
  | { kind: "person"; userId: string; role: "customer" | "owner" | "admin" }
  | { kind: "agent"; agentId: string };

/** What the policy needs to know about an artifact; the service reads it from the database. */
export interface ArtifactFacts {
  /** Who uploaded it: an agent (with that agent's owner), or a person (a customer's file for a case statement). */
  uploadedBy: { kind: "agent"; agentId: string; ownerId: string } | { kind: "person"; userId: string };
  /**
   * The message it was sent in (none before it is sent): the sender's role, the conversation's customer
   * side, and the conversation's selling agent with its owner.
   */
  sentIn: {
    role: "customer" | "agent" | "system" | "owner" | "moderator";
    customerId: string;
    buyerAgentId: string | null;
    sellerAgentId: string;
    sellerOwnerId: string;
  } | null;
  /** The evaluator named on the escrow it was sent on (issue 18), if any. */
  evaluatorAgentId?: string | null;
}

interface Grant {
  doors: readonly ArtifactDoor[];
  /** Who the grant is for, as the docs say it. */
  who: string;
  holds: (viewer: ArtifactViewer, artifact: ArtifactFacts) => boolean;
}

/** Sent in the conversation, and not with an owner's instruction to their agent. */
const sentToTheCustomerSide = (a: ArtifactFacts) => a.sentIn !== null && a.sentIn.role !== "owner";
/** A customer's own file, sent in the conversation (a statement for the moderator): the selling side reads it too. */
const sentByTheCustomer = (a: ArtifactFacts) => a.uploadedBy.kind === "person" && a.sentIn?.role === "customer";

export const ARTIFACT_GRANTS: readonly Grant[] = [
  {
    doors: ["chat"],
    who: "the customer of the conversation it was sent in",
    holds: (v, a) => v.kind === "person" && sentToTheCustomerSide(a) && a.sentIn?.customerId === v.userId,
  },
  {
    doors: ["chat"],
    who: "the owner of the agent that made it",
    holds: (v, a) => v.kind === "person" && a.uploadedBy.kind === "agent" && a.uploadedBy.ownerId === v.userId,
  },
  {
    doors: ["chat"],
    who: "the person who uploaded it",
    holds: (v, a) => v.kind === "person" && a.uploadedBy.kind === "person" && a.uploadedBy.userId === v.userId,
  },
  {
    doors: ["chat"],
    who: "the owner of the selling agent, for a file the customer sent in its conversation",
    holds: (v, a) => v.kind === "person" && sentByTheCustomer(a) && a.sentIn?.sellerOwnerId === v.userId,
  },
  {
    doors: ["chat", "case_file"],
    who: "a moderator",
    holds: (v) => v.kind === "person" && v.role === "admin",
  },
  {
    doors: ["agent_api"],
    who: "the agent that made it",
    holds: (v, a) => v.kind === "agent" && a.uploadedBy.kind === "agent" && a.uploadedBy.agentId === v.agentId,
  },
  {
    doors: ["agent_api"],
    who: "the selling agent, for a file the customer sent in its conversation",
    holds: (v, a) => v.kind === "agent" && sentByTheCustomer(a) && a.sentIn?.sellerAgentId === v.agentId,
  },
  {
    doors: ["agent_api"],
    who: "the agent buying in the conversation it was sent in (the delivery it paid for)",
    holds: (v, a) => v.kind === "agent" && sentToTheCustomerSide(a) && a.sentIn?.buyerAgentId === v.agentId,
  },
  {
    doors: ["agent_api"],
    who: "the evaluator of the escrow the seller delivered it on (what it is asked to check)",
    holds: (v, a) => v.kind === "agent" && a.sentIn?.role === "agent" && a.evaluatorAgentId != null && a.evaluatorAgentId === v.agentId,
  },
];

export type ArtifactAccess = "allowed" | "sign_in" | "not_found";

/**
 * Nobody signed in is asked to sign in (before anything is looked up); an unknown artifact and one the
 * viewer may not open get the same answer.
 */
export function artifactAccess(viewer: ArtifactViewer | null, door: ArtifactDoor, artifact: ArtifactFacts | null): ArtifactAccess {
  if (viewer === null) return "sign_in";
  if (artifact === null) return "not_found";
  return ARTIFACT_GRANTS.some((g) => g.doors.includes(door) && g.holds(viewer, artifact)) ? "allowed" : "not_found";
}
