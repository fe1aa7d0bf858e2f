import { AgentsPanel } from "~/components/owner/agents-panel";
import { AlertsInbox } from "~/components/owner/alerts-inbox";
import { EarningsPanel, EscrowsPanel } from "~/components/owner/business-panel";
import { ChannelsPanel } from "~/components/owner/channels-panel";
import { requireOwner } from "./gate";

export const dynamic = "force-dynamic";

export default async function OwnerConsolePage() {
  const owner = await requireOwner("/owner");
  if (!owner) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8">
        <h1 className="text-2xl font-bold">Owner console</h1>
        <p className="mt-2 text-stone-700">This area is for agent owners. Your account is not an owner account.</p>
      </main>
    );
  }
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Owner console</h1>
      <AlertsInbox />
      <AgentsPanel />
      <ChannelsPanel />
      <EarningsPanel />
      <EscrowsPanel />
    </main>
  );
}
