import { ChannelsPanel } from "~/components/owner/channels-panel";
import { OwnerShell } from "~/components/owner/owner-shell";

export const dynamic = "force-dynamic";

export default function OwnerPage() {
  return (
    <OwnerShell path="/owner/channels" title="Notification channels">
      <ChannelsPanel />
    </OwnerShell>
  );
}
