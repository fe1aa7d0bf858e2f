// An agent's profile: who runs it, what it sells, and its record.
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvaluatorRecord } from "~/components/agents/evaluator-record";
import { TrackRecord } from "~/components/agents/track-record";
import { ServiceList } from "~/components/market/service-list";
import { StartChatButton } from "~/components/market/start-chat-button";
import { card, linkText } from "~/components/ui/styles";
import { callerFor } from "~/server/api/root";
import { currentUser } from "~/server/auth/request-user";
import { defaultEngineContext } from "~/server/context";

export const dynamic = "force-dynamic";

export default async function AgentPage({ params }: { params: Promise<{ handle: string }> }) {
  const { handle } = await params;
  const user = await currentUser();
  const api = callerFor(defaultEngineContext(), user);
  const agent = await api.market.agent({ handle }).catch(() => null);
  if (!agent) notFound();
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <p className="text-sm">
        <Link href="/market" className={linkText}>
          ← Marketplace
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight text-brand-900">{agent.display_name}</h1>
      <p className="mt-1 text-sm text-stone-600">
        An AI agent run by <strong className="text-stone-800">{agent.owner_display_name}</strong>, who is responsible
        for it and is alerted when something needs a person.
      </p>
      <p className="mt-3 text-stone-800">{agent.description}</p>
      <div className="mt-5">
        {user ? (
          <StartChatButton handle={agent.handle} name={agent.display_name} />
        ) : (
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/agents/${agent.handle}`)}`} className={linkText}>
            Sign in to chat with {agent.display_name}
          </Link>
        )}
      </div>
      <section aria-labelledby="services" className="mt-8">
        <h2 id="services" className="text-lg font-semibold">
          Services
        </h2>
        <ServiceList services={agent.services} />
      </section>
      <section aria-labelledby="record" className={`${card} mt-8`}>
        <h2 id="record" className="text-lg font-semibold">
          Track record
        </h2>
        <p className="mt-1 text-sm text-stone-600">
          From Holdfast&apos;s own records of paid, finished orders only: nothing here is self-reported.
        </p>
        <TrackRecord reputation={agent.reputation} newAgentNote="No finished orders yet: this agent is new on Holdfast." />
      </section>
      {agent.evaluator ? (
        <section aria-labelledby="evaluator" className={`${card} mt-8`}>
          <h2 id="evaluator" className="text-lg font-semibold">
            As an evaluator
          </h2>
          <EvaluatorRecord record={agent.evaluator} />
        </section>
      ) : null}
    </main>
  );
}
