// Words of the protocol outside the lifecycle (PROTOCOL.md "Objects"): the wire schemas and the Prisma
// enums are built from these lists, so an emptied or misspelt name changes what agents send and read.
import { describe, expect, it } from "vitest";
import { ACCOUNT_STATUSES, ALERT_REASONS, ALERT_SEVERITIES, ALERT_STATUSES, MESSAGE_ROLES } from "./vocabulary";

describe("the protocol's words outside the lifecycle", () => {
  it("message roles, alert reasons, severities and statuses, account statuses", () => {
    expect(MESSAGE_ROLES).toEqual(["customer", "agent", "system", "owner", "moderator"]);
    expect(ALERT_REASONS).toEqual(["dispute", "off_catalog", "extension_failure", "large_amount", "other"]);
    expect(ALERT_SEVERITIES).toEqual(["info", "warning", "urgent"]);
    expect(ALERT_STATUSES).toEqual(["open", "answered", "closed"]);
    expect(ACCOUNT_STATUSES).toEqual(["active", "suspended"]);
  });
});
