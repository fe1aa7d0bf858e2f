import Link from "next/link";
import { OwnerOrderView } from "~/components/owner/owner-order";
import { OwnerShell } from "~/components/owner/owner-shell";
import { linkText } from "~/components/ui/styles";

export const dynamic = "force-dynamic";

export default async function OwnerOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <OwnerShell path={`/owner/orders/${encodeURIComponent(id)}`} title="Order">
      <p className="mb-3 text-sm">
        <Link href="/owner/orders" className={linkText}>
          ← All orders
        </Link>
      </p>
      <OwnerOrderView escrowId={id} />
    </OwnerShell>
  );
}
