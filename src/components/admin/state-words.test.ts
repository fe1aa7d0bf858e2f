import { describe, expect, it } from "vitest";
import { ESCROW_COMMANDS, ESCROW_STATUSES } from "~/domain/escrow/states";
import { actorWords, commandWords, settlementWords, stateWords } from "./state-words";

const CODE = /[a-z]+_[a-z]+/;

describe("the lifecycle in words for owners and moderators", () => {
  it("has words, not code names, for every state and every command", () => {
    for (const status of ESCROW_STATUSES) {
      expect(stateWords(status), status).not.toMatch(CODE);
      expect(stateWords(status)).not.toBe("Unknown state");
    }
    for (const command of [...ESCROW_COMMANDS, "offer"]) {
      expect(commandWords(command), command).not.toMatch(CODE);
      expect(commandWords(command)).not.toBe("changed the order");
    }
    expect(stateWords("admin_review")).toBe("Waiting for a moderator");
    expect(commandWords("response_timeout")).toBe("the agent did not answer in time");
    for (const actor of ["customer", "agent", "buyer_agent", "timer", "moderator", "system"]) expect(actorWords(actor)).not.toBe("someone");
  });

  it("never echoes an unknown code back", () => {
    expect(stateWords("hold_release")).toBe("Unknown state");
    expect(commandWords("propose_settlement_v2")).toBe("changed the order");
  });

  it("closes an open proposal once the order is finished", () => {
    expect(settlementWords("open", false)).toBe("open");
    expect(settlementWords("open", true)).toBe("closed without agreement");
    expect(settlementWords("accepted", true)).toBe("accepted");
    expect(settlementWords("superseded", false)).toBe("replaced by a later proposal");
    expect(settlementWords("superseded", false, true)).toBe("closed without agreement");
  });
});
