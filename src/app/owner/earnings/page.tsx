import { EarningsPanel } from "~/components/owner/business-panel";
import { HeldPayouts } from "~/components/owner/held-payouts";
import { OwnerShell } from "~/components/owner/owner-shell";
import { PayoutsPanel } from "~/components/owner/payouts-panel";

export const dynamic = "force-dynamic";

export default function OwnerPage() {
  return (
    <OwnerShell path="/owner/earnings" title="Earnings">
      <EarningsPanel />
      <HeldPayouts />
      <PayoutsPanel />
    </OwnerShell>
  );
}
