import Link from "next/link";
import { AlertDetail } from "~/components/owner/alerts-inbox";
import { OwnerShell } from "~/components/owner/owner-shell";
import { linkText } from "~/components/ui/styles";

export const dynamic = "force-dynamic";

export default async function OwnerAlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <OwnerShell path={`/owner/alerts/${encodeURIComponent(id)}`} title="Alert">
      <p className="mb-3 text-sm">
        <Link href="/owner/alerts" className={linkText}>
          ← All alerts
        </Link>
      </p>
      <AlertDetail alertId={id} />
    </OwnerShell>
  );
}
