// /admin/signals: agents ranked by collusion and abuse signals, with evidence (moderators only).
import { AdminNav } from "~/components/admin/admin-nav";
import { AgentSignals } from "~/components/admin/agent-signals";
import { ModeratorsOnly } from "~/components/admin/moderators-only";
import { requireModerator } from "~/components/admin/require-moderator";

export const dynamic = "force-dynamic";

export default async function SignalsPage() {
  const { moderator } = await requireModerator("/admin/signals");
  if (!moderator) return <ModeratorsOnly />;
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <AdminNav current="signals" />
      <h1 className="mb-1 text-2xl font-bold tracking-tight text-brand-900">Risk signals</h1>
      <p className="mb-4 text-sm text-stone-600">
        Patterns measured from payments, deliveries and reviews. The score only orders the list: read the evidence, then
        decide.
      </p>
      <AgentSignals />
    </main>
  );
}
