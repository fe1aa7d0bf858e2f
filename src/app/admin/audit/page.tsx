// /admin/audit: every moderator action, with filters (moderators only, checked on the server).
import { AdminNav } from "~/components/admin/admin-nav";
import { AUDIT_ACTIONS, type AuditFilters } from "~/components/admin/admin-words";
import { AuditLog } from "~/components/admin/audit-log";
import { ModeratorsOnly } from "~/components/admin/moderators-only";
import { requireModerator } from "~/components/admin/require-moderator";
import { pageQueryText } from "~/server/http/page-query";

export const dynamic = "force-dynamic";

const one = (value: string | string[] | undefined) => pageQueryText(value, 64);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const { user, moderator } = await requireModerator("/admin/audit");
  if (!moderator) return <ModeratorsOnly />;
  const action = one(params.action);
  const initial: AuditFilters = {
    action: (AUDIT_ACTIONS as readonly string[]).includes(action) ? (action as AuditFilters["action"]) : "",
    moderator: one(params.moderator),
    target: one(params.target),
  };
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <AdminNav current="audit" />
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-brand-900">Audit log</h1>
      <AuditLog initial={initial} me={user.id} />
    </main>
  );
}
