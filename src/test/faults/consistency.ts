// What a crash must never leave behind (issue 10, faults): every escrow's
// audit trail is a walk through the transition table ending at its status,
// and its ledger transfers are exactly the ones that status implies — one
// fund once paid, one refund and/or one release (+ fee) once finished, no
// movement twice. Used after SIGKILLs and database restarts, beside
// checkDatabaseLedger.
import { findTransition } from "~/domain/escrow/transitions";
import type { EscrowCommand, EscrowStatus } from "~/domain/escrow/states";
import type { Db } from "~/server/db/client";

const UNFUNDED: readonly string[] = ["pending", "cancelled"];

/** The refund and release (before fee) a finished escrow implies, or null while money is still held. */
function expectedSplit(e: { status: string; outcome: string | null; amountMinor: bigint; refundAmountMinor: bigint }) {
  const settled = e.status === "resolved" ? e.outcome : e.status === "completed" ? "released" : e.status === "refunded" ? "refunded" : null;
  if (settled === "released") return { refund: 0n, release: e.amountMinor };
  if (settled === "refunded") return { refund: e.amountMinor, release: 0n };
  if (settled === "split") return { refund: e.refundAmountMinor, release: e.amountMinor - e.refundAmountMinor };
  return null;
}

export async function checkEscrowConsistency(db: Db): Promise<string[]> {
  const escrows = await db.escrow.findMany({
    include: { events: { orderBy: { id: "asc" } }, transfers: true },
    orderBy: { id: "asc" },
  });
  const problems: string[] = [];
  for (const e of escrows) {
    // The audit trail: offer, then rows of the table, each starting where the last ended.
    const [first, ...rest] = e.events;
    if (!first || first.fromStatus !== null || first.toStatus !== "pending") problems.push(`${e.id}: trail does not start with an offer`);
    let at: string = first?.toStatus ?? "pending";
    for (const ev of rest) {
      const rule = ev.fromStatus ? findTransition(ev.fromStatus as EscrowStatus, ev.command as EscrowCommand) : undefined;
      if (ev.fromStatus !== at || !rule || rule.to !== ev.toStatus) {
        problems.push(`${e.id}: ${ev.fromStatus} --${ev.command}--> ${ev.toStatus} after ${at} is not in the table`);
      }
      at = ev.toStatus;
    }
    if (at !== e.status) problems.push(`${e.id}: status ${e.status} but the trail ends at ${at}`);

    // The money: exactly the transfers the status implies.
    const byKind = (kind: string) => e.transfers.filter((t) => t.kind === kind);
    const sum = (kind: string) => byKind(kind).reduce((s, t) => s + t.amountMinor, 0n);
    const funded = !UNFUNDED.includes(e.status);
    if (byKind("fund").length !== (funded ? 1 : 0) || (funded && sum("fund") !== e.amountMinor)) {
      problems.push(`${e.id} (${e.status}): fund transfers ${byKind("fund").map((t) => t.amountMinor).join(",")} for amount ${e.amountMinor}`);
    }
    const split = expectedSplit(e);
    const refund = split?.refund ?? 0n;
    const release = split?.release ?? 0n;
    if (byKind("refund").length !== (refund > 0n ? 1 : 0) || sum("refund") !== refund) {
      problems.push(`${e.id} (${e.status}): refunded ${sum("refund")} in ${byKind("refund").length} transfers, expected ${refund}`);
    }
    if (byKind("release").length > 1 || byKind("fee").length > 1 || sum("release") + sum("fee") !== release) {
      problems.push(`${e.id} (${e.status}): released ${sum("release")} + fee ${sum("fee")}, expected ${release}`);
    }
    const unexpected = e.transfers.filter((t) => !["fund", "refund", "release", "fee", "hold_release"].includes(t.kind));
    if (unexpected.length) problems.push(`${e.id}: unexpected transfers ${unexpected.map((t) => t.kind).join(",")}`);
  }
  return problems;
}
