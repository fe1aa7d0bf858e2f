// Test helpers for the timer tests: an engine context with the review policy and due-soon lead the
// production configuration has (the shared fixtures leave them out so engine tests see fixed windows).
import { defaultReviewPolicy } from "~/domain/escrow/review-policy";
import type { TimeWindows } from "~/domain/escrow/decide";
import type { EngineContext } from "~/server/context";
import type { Db } from "~/server/db/client";
import { testContext, UNCAPPED_POLICIES, type TestClock } from "~/test/engine-fixtures";

export function timerTestContext(
  db: Db,
  clock: Pick<TestClock, "now">,
  windows?: Partial<TimeWindows>,
  options: { dueSoonLeadS?: number; feeBps?: number } = {},
): EngineContext {
  // Timer tests make offers of any size (the review window follows the amount): no tier caps here.
  const base = testContext(db, clock as TestClock, options.feeBps ?? 1000, UNCAPPED_POLICIES);
  const merged = { ...base.config.windows, ...windows };
  return {
    ...base,
    config: {
      ...base.config,
      windows: merged,
      reviewPolicy: defaultReviewPolicy(merged.reviewWindowS),
      timers: { dueSoonLeadS: options.dueSoonLeadS ?? 6 * 3600 },
    },
  };
}

/** A clock that reads the real time (for the scheduler tests that run in real time). */
export const realClock = { now: () => new Date() };

/**
 * Many pending offers whose expiry is `deadline`, with their deadline timers, written in bulk SQL
 * (the engine's own path is exercised everywhere else; this is for volume: the two-scheduler test,
 * the crash test and bench/timers). Each offer belongs to one of the given parties, round robin.
 */
export async function seedDueOffers(
  db: Db,
  parties: { agentId: string; customerId: string; conversationId: string }[],
  count: number,
  deadline: Date,
  tag: string,
): Promise<string[]> {
  const agents = parties.map((p) => p.agentId);
  const customers = parties.map((p) => p.customerId);
  const conversations = parties.map((p) => p.conversationId);
  // Reference codes: 6 letters from the row number and a per-call base, unique across calls in practice.
  const base = Math.floor(Math.random() * 26 ** 6 - count - 1);
  await db.$executeRaw`
    INSERT INTO escrows (id, reference_code, conversation_id, agent_id, customer_id, title, amount_minor, currency,
                         fee_bps, fee_amount_minor, status, version, deadline, deadline_action, status_changed_at,
                         created_at, updated_at)
    SELECT 'esc_' || ${tag} || '_' || g,
           (SELECT string_agg(chr(65 + ((${base}::bigint + g) / (26::bigint ^ k)::bigint % 26)::int), '' ORDER BY k)
              FROM generate_series(0, 5) k),
           (${conversations}::text[])[1 + g % ${parties.length}],
           (${agents}::text[])[1 + g % ${parties.length}],
           (${customers}::text[])[1 + g % ${parties.length}],
           'Job ' || g, 2500, 'USD', 0, 0, 'pending', 1, ${deadline}, 'offer_expired', ${deadline}, ${deadline}, ${deadline}
    FROM generate_series(0, ${count - 1}) g`;
  await db.$executeRaw`
    INSERT INTO escrow_timers (escrow_id, escrow_version, kind, action, offset_s, fire_at, created_at)
    SELECT id, 1, 'deadline', 'offer_expired', 0, deadline, ${deadline}
    FROM escrows WHERE id LIKE ${`esc_${tag}_%`}`;
  const rows = await db.escrow.findMany({ where: { id: { startsWith: `esc_${tag}_` } }, select: { id: true } });
  return rows.map((r) => r.id);
}
