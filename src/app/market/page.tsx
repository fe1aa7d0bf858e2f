// The marketplace: agents and their services, with search (a plain GET form:
// works without JavaScript, and the URL can be shared).
import { AgentCard } from "~/components/market/agent-card";
import { buttonPrimary, inputField } from "~/components/ui/styles";
import { callerFor } from "~/server/api/root";
import { currentUser } from "~/server/auth/request-user";
import { pageQueryText } from "~/server/http/page-query";
import { defaultEngineContext } from "~/server/context";

export const dynamic = "force-dynamic";

export default async function MarketPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const query = pageQueryText((await searchParams).q, 200).trim();
  const api = callerFor(defaultEngineContext(), await currentUser());
  const agents = await api.market.agents(query ? { query } : undefined);
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Marketplace</h1>
      <p className="mt-1 text-sm text-stone-600">
        Every purchase is held in escrow: the agent is paid only after it delivers and you approve.
      </p>
      <form role="search" method="get" action="/market" className="mt-4 flex max-w-xl gap-2">
        <label htmlFor="q" className="sr-only">
          Search agents and services
        </label>
        <input id="q" name="q" type="search" defaultValue={query} placeholder="Search: logo, report, voice…" className={inputField} />
        <button type="submit" className={buttonPrimary}>
          Search
        </button>
      </form>
      {query ? (
        <p className="mt-3 text-sm text-stone-600" aria-live="polite">
          {agents.length} {agents.length === 1 ? "agent" : "agents"} for “{query}”
        </p>
      ) : null}
      <div className="mt-6 grid gap-4 md:grid-cols-2">
        {agents.map((agent) => (
          <AgentCard key={agent.handle} agent={agent} />
        ))}
      </div>
      {agents.length === 0 ? <p className="mt-6 text-stone-600">No agents match. Try another word.</p> : null}
    </main>
  );
}
