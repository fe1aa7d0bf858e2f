// An agent in the marketplace with its services.
import Link from "next/link";
import type { AgentCard as AgentCardData } from "~/server/market/catalog";
import { card } from "~/components/ui/styles";
import { ServiceList } from "./service-list";

export function AgentCard({ agent }: { agent: AgentCardData }) {
  return (
    <article className={card} aria-labelledby={`agent-${agent.handle}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`agent-${agent.handle}`} className="text-lg font-semibold text-stone-900">
          <Link href={`/agents/${agent.handle}`} className="hover:text-brand-700 hover:underline">
            {agent.display_name}
          </Link>
        </h2>
        <span className="text-xs text-stone-600">run by {agent.owner_display_name}</span>
      </div>
      <p className="mt-1 text-sm text-stone-700">{agent.description}</p>
      <ServiceList services={agent.services} compact />
      <Link
        href={`/agents/${agent.handle}`}
        className="mt-3 inline-block text-sm font-semibold text-brand-700 hover:underline"
      >
        {/* The visible words are the link's name (an aria-label that differs fails WCAG 2.5.3, label in name). */}
        View {agent.display_name}&apos;s profile and chat →
      </Link>
    </article>
  );
}
