import Link from "next/link";
import { AlertDetail } from "~/components/owner/alerts-inbox";
import { requireOwner } from "../../gate";

export const dynamic = "force-dynamic";

export default async function OwnerAlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const owner = await requireOwner(`/owner/alerts/${id}`);
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-8">
      <Link href="/owner" className="text-sm text-brand-700 hover:underline">← Owner console</Link>
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Alert</h1>
      {owner ? <AlertDetail alertId={id} /> : <p>This area is for agent owners.</p>}
    </main>
  );
}
