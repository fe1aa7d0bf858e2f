// /admin/ops: the operations page (moderators only, checked on the server; the procedures check again).
import { AdminNav } from "~/components/admin/admin-nav";
import { ModeratorsOnly } from "~/components/admin/moderators-only";
import { Operations } from "~/components/admin/operations";
import { requireModerator } from "~/components/admin/require-moderator";

export const dynamic = "force-dynamic";

export default async function OperationsPage() {
  const { moderator } = await requireModerator("/admin/ops");
  if (!moderator) return <ModeratorsOnly />;
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <AdminNav current="ops" />
      <h1 className="mb-1 text-2xl font-bold tracking-tight text-brand-900">Operations</h1>
      <p className="mb-4 text-sm text-stone-600">
        Timers, outboxes and webhooks as every server process shares them in the database. &ldquo;Retry now&rdquo; sends an
        item on the relay&rsquo;s next round; both actions are in the audit log.
      </p>
      <Operations />
    </main>
  );
}
