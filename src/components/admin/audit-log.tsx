"use client";
// Every moderator action, newest first, filtered by action, moderator and
// target. The filters live in the address, so a case can link to its entries.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "~/components/ui/date-time";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonPrimary, buttonSecondary, card, inputField, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { ACTION_WORDS, AUDIT_ACTIONS, type AuditFilters } from "./admin-words";

function toSearch(filters: AuditFilters): string {
  const params = new URLSearchParams();
  if (filters.action) params.set("action", filters.action);
  if (filters.moderator.trim()) params.set("moderator", filters.moderator.trim());
  if (filters.target.trim()) params.set("target", filters.target.trim());
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function AuditLog({ initial, me }: { initial: AuditFilters; me: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [draft, setDraft] = useState<AuditFilters>(initial);
  const [applied, setApplied] = useState<AuditFilters>(initial);
  const log = useQuery(
    trpc.admin.auditLog.queryOptions({
      ...(applied.action ? { action: applied.action } : {}),
      ...(applied.moderator.trim() ? { moderatorId: applied.moderator.trim() } : {}),
      ...(applied.target.trim() ? { targetId: applied.target.trim() } : {}),
    }),
  );

  function apply(next: AuditFilters) {
    setDraft(next);
    setApplied(next);
    router.replace(`${pathname}${toSearch(next)}`);
  }

  return (
    <div className="space-y-4">
      <form
        className={`${card} grid gap-3 sm:grid-cols-4 sm:items-end`}
        aria-label="Filter the log"
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <div>
          <label htmlFor="audit-action" className="block text-sm font-medium">
            Action
          </label>
          <select
            id="audit-action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value as AuditFilters["action"] })}
            className={`${inputField} mt-1`}
          >
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {ACTION_WORDS[action]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-moderator" className="block text-sm font-medium">
            Moderator id
          </label>
          <input
            id="audit-moderator"
            value={draft.moderator}
            onChange={(e) => setDraft({ ...draft, moderator: e.target.value })}
            className={`${inputField} mt-1`}
          />
        </div>
        <div>
          <label htmlFor="audit-target" className="block text-sm font-medium">
            Target id (case, agent or person)
          </label>
          <input
            id="audit-target"
            value={draft.target}
            onChange={(e) => setDraft({ ...draft, target: e.target.value })}
            className={`${inputField} mt-1`}
          />
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonPrimary}>
            Filter
          </button>
          <button type="button" className={buttonSecondary} onClick={() => apply({ ...draft, moderator: me })}>
            Mine
          </button>
          <button type="button" className={buttonSecondary} onClick={() => apply({ action: "", moderator: "", target: "" })}>
            Clear
          </button>
        </div>
      </form>
      <section aria-labelledby="log-heading" className={card}>
        <h2 id="log-heading" className="text-lg font-semibold">
          Entries
        </h2>
        {log.isError ? <ErrorNote>{appError(log.error).message}</ErrorNote> : null}
        {log.isPending ? <p className="mt-2 text-sm text-stone-500">Loading…</p> : null}
        {log.data && log.data.length === 0 ? <p className="mt-2 text-sm text-stone-600">No entries match.</p> : null}
        {log.data?.length ? (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="audit-log">
              <thead className="text-xs uppercase text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">When</th>
                  <th scope="col" className="py-2 pr-3 font-medium">Action</th>
                  <th scope="col" className="py-2 pr-3 font-medium">Target</th>
                  <th scope="col" className="py-2 pr-3 font-medium">Moderator</th>
                  <th scope="col" className="py-2 font-medium">Note</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {log.data.map((entry) => (
                  <tr key={entry.id}>
                    <td className="py-2 pr-3 align-top text-stone-600">
                      <DateTime iso={entry.at} />
                    </td>
                    <td className="py-2 pr-3 align-top">{ACTION_WORDS[entry.action] ?? entry.action}</td>
                    <td className="break-all py-2 pr-3 align-top font-mono text-xs">
                      {entry.target_type === "escrow" ? (
                        <Link href={`/admin/cases/${entry.target_id}`} className={linkText}>
                          {entry.target_id}
                        </Link>
                      ) : (
                        <>
                          {entry.target_type} {entry.target_id}
                        </>
                      )}
                    </td>
                    <td className="break-all py-2 pr-3 align-top font-mono text-xs">
                      {entry.moderator_id === me ? "you" : entry.moderator_id}
                    </td>
                    <td className="whitespace-pre-wrap break-words py-2 align-top">{entry.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
