import { AlertsInbox } from "~/components/owner/alerts-inbox";
import { OwnerShell } from "~/components/owner/owner-shell";

export const dynamic = "force-dynamic";

export default function OwnerPage() {
  return (
    <OwnerShell path="/owner/alerts" title="Alerts">
      <AlertsInbox />
    </OwnerShell>
  );
}
