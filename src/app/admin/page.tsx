// /admin: the moderation queue (moderators only, checked on the server).
import { AdminNav } from "~/components/admin/admin-nav";
import { AgentCaseQueue } from "~/components/admin/agent-case";
import { ModeratorsOnly } from "~/components/admin/moderators-only";
import { requireModerator } from "~/components/admin/require-moderator";
import { ReviewQueue } from "~/components/admin/review-queue";

export const dynamic = "force-dynamic";

export default async function AdminQueuePage() {
  const { moderator } = await requireModerator("/admin");
  if (!moderator) return <ModeratorsOnly />;
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <AdminNav current="queue" />
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-brand-900">Review queue</h1>
      <AgentCaseQueue />
      <ReviewQueue />
    </main>
  );
}
