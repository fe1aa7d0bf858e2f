// Applies every timed transition whose deadline has passed. Timers are only
// triggers: each escrow goes through the same command path, which re-reads it
// under a row lock and acts only if it is still in that state and past the
// deadline, so sweeping twice, late, or alongside a racing command is harmless.
import type { DeadlineAction } from "~/domain/escrow/states";
import { isDomainError } from "~/domain/escrow/errors";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "./run-command";

export interface SweepResult {
  applied: number;
  /** Escrows that moved on before their timer ran (another command won). */
  skipped: number;
}

export async function sweepDueEscrows(ctx: EngineContext, options: { limit?: number } = {}): Promise<SweepResult> {
  const now = ctx.now();
  const due = await ctx.db.escrow.findMany({
    where: { deadline: { lte: now }, deadlineAction: { not: null } },
    select: { id: true, deadlineAction: true },
    orderBy: { deadline: "asc" },
    take: options.limit ?? 500,
  });
  const result: SweepResult = { applied: 0, skipped: 0 };
  for (const escrow of due) {
    const command = escrow.deadlineAction as DeadlineAction;
    try {
      await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command });
      result.applied++;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result.skipped++;
    }
  }
  return result;
}
