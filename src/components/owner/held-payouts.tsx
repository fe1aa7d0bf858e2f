"use client";
// Why payouts are held (issue 17), in plain words: per agent, each held payout with its reason, and
// what an open signal on the agent means.
import { useQuery } from "@tanstack/react-query";
import { card } from "~/components/ui/styles";
import { useTRPC } from "~/trpc/react";
import { OWNER_POLL_MS } from "./use-owner";

export function HeldPayouts() {
  const trpc = useTRPC();
  const held = useQuery({ ...trpc.owner.payoutHolds.queryOptions(), refetchInterval: OWNER_POLL_MS });
  if (!held.data || held.data.length === 0) return null;
  return (
    <section aria-labelledby="held-h" className={card} data-testid="held-payouts">
      <h2 id="held-h" className="text-lg font-semibold">
        Why payouts are held
      </h2>
      {held.data.map((agent) => (
        <div key={agent.agent_id} className="mt-2 text-sm">
          <h3 className="font-semibold">{agent.display_name}</h3>
          {agent.explanation ? <p className="rounded bg-amber-50 px-2 py-1 text-amber-950">{agent.explanation}</p> : null}
          <ul className="mt-1 list-disc pl-5">
            {agent.held.map((h) => (
              <li key={h.escrow_id}>{h.reason}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
