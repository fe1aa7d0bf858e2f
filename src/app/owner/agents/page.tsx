import { AgentsPanel } from "~/components/owner/agents-panel";
import { OwnerShell } from "~/components/owner/owner-shell";

export const dynamic = "force-dynamic";

export default function OwnerPage() {
  return (
    <OwnerShell path="/owner/agents" title="Agents">
      <AgentsPanel />
    </OwnerShell>
  );
}
