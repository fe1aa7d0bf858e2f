import { describe, expect, it } from "vitest";
import { artifactAccess, type ArtifactDoor, type ArtifactFacts, type ArtifactViewer } from "./artifact-access";

const customer: ArtifactViewer = { kind: "person", userId: "usr_customer", role: "customer" };
const sellerOwner: ArtifactViewer = { kind: "person", userId: "usr_owner", role: "owner" };
const stranger: ArtifactViewer = { kind: "person", userId: "usr_stranger", role: "customer" };
const otherOwner: ArtifactViewer = { kind: "person", userId: "usr_other_owner", role: "owner" };
const moderator: ArtifactViewer = { kind: "person", userId: "usr_mod", role: "admin" };
const sellerAgent: ArtifactViewer = { kind: "agent", agentId: "agt_seller" };
const buyerAgent: ArtifactViewer = { kind: "agent", agentId: "agt_buyer" };
const otherAgent: ArtifactViewer = { kind: "agent", agentId: "agt_other" };

const made = { uploadedBy: { kind: "agent", agentId: "agt_seller", ownerId: "usr_owner" } } as const;
const seller = { sellerAgentId: "agt_seller", sellerOwnerId: "usr_owner" };
const conversation = { customerId: "usr_customer", buyerAgentId: "agt_buyer", ...seller };
const delivered: ArtifactFacts = { ...made, sentIn: { role: "agent", ...conversation } };
const withInstruction: ArtifactFacts = { ...made, sentIn: { role: "owner", ...conversation } };
const unsent: ArtifactFacts = { ...made, sentIn: null };
// A customer's file for a case statement: uploaded by the person, then sent in their own conversation.
const byCustomer = { uploadedBy: { kind: "person", userId: "usr_customer" } } as const;
const customerFile: ArtifactFacts = { ...byCustomer, sentIn: { role: "customer", customerId: "usr_customer", buyerAgentId: null, ...seller } };
const customerFileUnsent: ArtifactFacts = { ...byCustomer, sentIn: null };

const viewers = { customer, sellerOwner, stranger, otherOwner, moderator, sellerAgent, buyerAgent, otherAgent };
const doors: ArtifactDoor[] = ["chat", "case_file", "agent_api"];

/** Who is allowed, per artifact and door; everyone else gets not_found. */
const ALLOWED: Record<string, Record<ArtifactDoor, (keyof typeof viewers)[]>> = {
  delivered: { chat: ["customer", "sellerOwner", "moderator"], case_file: ["moderator"], agent_api: ["sellerAgent", "buyerAgent"] },
  withInstruction: { chat: ["sellerOwner", "moderator"], case_file: ["moderator"], agent_api: ["sellerAgent"] },
  unsent: { chat: ["sellerOwner", "moderator"], case_file: ["moderator"], agent_api: ["sellerAgent"] },
  customerFile: { chat: ["customer", "sellerOwner", "moderator"], case_file: ["moderator"], agent_api: ["sellerAgent"] },
  customerFileUnsent: { chat: ["customer", "moderator"], case_file: ["moderator"], agent_api: [] },
};
const artifacts = { delivered, withInstruction, unsent, customerFile, customerFileUnsent };

describe("artifactAccess", () => {
  for (const [artifactName, artifact] of Object.entries(artifacts)) {
    for (const door of doors) {
      it(`${artifactName} through ${door}: only ${ALLOWED[artifactName]![door].join(", ")}`, () => {
        const allowed = Object.entries(viewers)
          .filter(([, viewer]) => artifactAccess(viewer, door, artifact) === "allowed")
          .map(([name]) => name);
        expect(allowed.sort()).toEqual([...ALLOWED[artifactName]![door]].sort());
        for (const [name, viewer] of Object.entries(viewers)) {
          if (!allowed.includes(name)) expect(artifactAccess(viewer, door, artifact)).toBe("not_found");
        }
      });
    }
  }

  it("asks nobody signed in to sign in, and says not_found for an unknown artifact to everyone else", () => {
    for (const door of doors) {
      expect(artifactAccess(null, door, delivered)).toBe("sign_in");
      expect(artifactAccess(null, door, null)).toBe("sign_in");
      expect(artifactAccess(moderator, door, null)).toBe("not_found");
    }
  });
});
