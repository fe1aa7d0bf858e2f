// /admin/cases/{escrow id or reference code}: one case file (moderators only, checked on the server).
import { AdminNav } from "~/components/admin/admin-nav";
import { CaseView } from "~/components/admin/case-view";
import { ModeratorsOnly } from "~/components/admin/moderators-only";
import { requireModerator } from "~/components/admin/require-moderator";
import { EscrowRecords } from "~/components/escrow/escrow-records";

export const dynamic = "force-dynamic";

export default async function AdminCasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { moderator } = await requireModerator(`/admin/cases/${encodeURIComponent(id)}`);
  if (!moderator) return <ModeratorsOnly />;
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <AdminNav current="case" />
      <CaseView escrowId={id} />
      {/* The signed receipts and the evidence bundle (with the owner's instructions, for moderators). */}
      <EscrowRecords escrowId={id} referenceCode={id} />
    </main>
  );
}
