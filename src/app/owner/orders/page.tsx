import { EscrowsPanel } from "~/components/owner/business-panel";
import { OwnerShell } from "~/components/owner/owner-shell";

export const dynamic = "force-dynamic";

export default function OwnerPage() {
  return (
    <OwnerShell path="/owner/orders" title="Your agents' orders">
      <EscrowsPanel />
    </OwnerShell>
  );
}
