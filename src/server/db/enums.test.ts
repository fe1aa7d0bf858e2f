// The wire vocabulary is declared once, in the domain; the database's enums are a third copy that Prisma
// needs in schema.prisma. This fails when they drift, so the casts between Prisma's types and the
// domain's (`row.status as EscrowStatus`) stay no-ops.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ARTIFACT_KINDS, DEADLINE_ACTIONS, ESCROW_OUTCOMES, ESCROW_STATUSES, PARTIES, SETTLEMENT_STATUSES,
  type ArtifactKind, type DeadlineAction, type EscrowOutcome, type EscrowStatus, type Party, type SettlementStatus,
} from "~/domain/escrow/states";
import {
  ACCOUNT_STATUSES, ALERT_REASONS, ALERT_SEVERITIES, ALERT_STATUSES, MESSAGE_ROLES,
  type AccountStatus, type AlertReason, type AlertSeverity, type AlertStatus, type MessageRole,
} from "~/domain/vocabulary";
import type { UserRole } from "~/server/auth/session-user";
import * as prisma from "./generated/enums";

const pairs: [string, Record<string, string>, readonly string[]][] = [
  ["EscrowStatus", prisma.EscrowStatus, ESCROW_STATUSES],
  ["DeadlineAction", prisma.DeadlineAction, DEADLINE_ACTIONS],
  ["EscrowOutcome", prisma.EscrowOutcome, ESCROW_OUTCOMES],
  ["SettlementStatus", prisma.SettlementStatus, SETTLEMENT_STATUSES],
  ["Party", prisma.Party, PARTIES],
  ["ArtifactKind", prisma.ArtifactKind, ARTIFACT_KINDS],
  ["MessageRole", prisma.MessageRole, MESSAGE_ROLES],
  ["AlertReason", prisma.AlertReason, ALERT_REASONS],
  ["AlertSeverity", prisma.AlertSeverity, ALERT_SEVERITIES],
  ["AlertStatus", prisma.AlertStatus, ALERT_STATUSES],
  ["AccountStatus", prisma.AccountStatus, ACCOUNT_STATUSES],
];

describe("Prisma enums equal the domain's lists", () => {
  it.each(pairs)("%s", (_name, prismaEnum, domainList) => {
    // Same words in the same order (the order is the OpenAPI enum's order and the docs').
    expect(Object.values(prismaEnum)).toEqual([...domainList]);
  });

  it("and their types are the same unions (checked by tsc)", () => {
    expectTypeOf<prisma.EscrowStatus>().toEqualTypeOf<EscrowStatus>();
    expectTypeOf<prisma.DeadlineAction>().toEqualTypeOf<DeadlineAction>();
    expectTypeOf<prisma.EscrowOutcome>().toEqualTypeOf<EscrowOutcome>();
    expectTypeOf<prisma.SettlementStatus>().toEqualTypeOf<SettlementStatus>();
    expectTypeOf<prisma.Party>().toEqualTypeOf<Party>();
    expectTypeOf<prisma.ArtifactKind>().toEqualTypeOf<ArtifactKind>();
    expectTypeOf<prisma.MessageRole>().toEqualTypeOf<MessageRole>();
    expectTypeOf<prisma.AlertReason>().toEqualTypeOf<AlertReason>();
    expectTypeOf<prisma.AlertSeverity>().toEqualTypeOf<AlertSeverity>();
    expectTypeOf<prisma.AlertStatus>().toEqualTypeOf<AlertStatus>();
    expectTypeOf<prisma.AccountStatus>().toEqualTypeOf<AccountStatus>();
    expectTypeOf<prisma.UserRole>().toEqualTypeOf<UserRole>();
    expect(Object.values(prisma.UserRole)).toEqual(["customer", "owner", "admin"]);
  });
});
