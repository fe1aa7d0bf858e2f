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
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { ACTION_WORDS, AUDIT_ACTIONS, type AuditFilters } from "./admin-words";

function toSearch(filters: AuditFilters): string {
  const params = new URLSearchParams();
  if (filters.action) params.set("action", filters.action);
  if (filters.moderator.trim()) params.set("moderator", filters.moderator.trim());
  if (filters.target.trim()) params.set("target", filters.target.trim());
  const text = params.toString();
  return text ? `?${text}` : "";
}

const COLUMNS = ["When", "Action", "Target", "Moderator", "Note"] as const;
const TARGET_WORDS: Record<string, string> = {
  agent: "agent",
  user: "person",
  delivery: "delivery",
  webhook: "webhook",
  notification: "notification",
  outbox: "outbox row",
  ledger: "ledger",
};

function AuditFiltersForm({
  draft,
  setDraft,
  me,
  onApply,
}: {
  draft: AuditFilters;
  setDraft: (next: AuditFilters) => void;
  me: string;
  onApply: (next: AuditFilters) => void;
}) {
  return (
    <form
      className={`${card} grid gap-3 sm:grid-cols-4 sm:items-end`}
      aria-label="Filter the log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
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
        <button type="button" className={buttonSecondary} onClick={() => onApply({ ...draft, moderator: me })}>
          Mine
        </button>
        <button
          type="button"
          className={buttonSecondary}
          onClick={() => onApply({ action: "", moderator: "", target: "" })}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

function AuditEntries({ filters, me }: { filters: AuditFilters; me: string }) {
  const trpc = useTRPC();
  const log = useQuery(
    trpc.admin.auditLog.queryOptions({
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.moderator.trim() ? { moderatorId: filters.moderator.trim() } : {}),
      ...(filters.target.trim() ? { targetId: filters.target.trim() } : {}),
    }),
  );
  return (
    <section aria-labelledby="log-heading" className={card}>
      <h2 id="log-heading" className="text-lg font-semibold">
        Entries
      </h2>
      {log.isError ? <ErrorNote>{appError(log.error).message}</ErrorNote> : null}
      {log.isPending ? <p className="mt-2 text-sm text-stone-600">Loading…</p> : null}
      {log.data && log.data.length === 0 ? <p className="mt-2 text-sm text-stone-600">No entries match.</p> : null}
      {log.data?.length ? (
        <table className={`${stackedTable} mt-2`} data-testid="audit-log">
          <thead className={stackedHead}>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" className={stackedTh}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={stackedBody}>
            {log.data.map((entry) => (
              <tr key={entry.id} className={stackedRow}>
                <td data-label="When" className={`${stackedCell} text-stone-600`}>
                  <DateTime iso={entry.at} />
                </td>
                <td data-label="Action" className={stackedCell}>
                  {ACTION_WORDS[entry.action] ?? "Other action"}
                </td>
                <td data-label="Target" className={`${stackedCell} break-all font-mono text-xs`}>
                  {entry.target_type === "escrow" ? (
                    <Link href={`/admin/cases/${entry.target_id}`} className={linkText}>
                      {entry.target_id}
                    </Link>
                  ) : (
                    <span>
                      {TARGET_WORDS[entry.target_type] ?? "item"} {entry.target_id}
                    </span>
                  )}
                </td>
                <td data-label="Moderator" className={`${stackedCell} break-all font-mono text-xs`}>
                  {entry.moderator_id === me ? "you" : entry.moderator_id}
                </td>
                <td data-label="Note" className={`${stackedCell} whitespace-pre-wrap break-words`}>
                  {entry.note}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function AuditLog({ initial, me }: { initial: AuditFilters; me: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [draft, setDraft] = useState<AuditFilters>(initial);
  const [applied, setApplied] = useState<AuditFilters>(initial);

  function apply(next: AuditFilters) {
    setDraft(next);
    setApplied(next);
    router.replace(`${pathname}${toSearch(next)}`);
  }

  return (
    <div className="space-y-4">
      <AuditFiltersForm draft={draft} setDraft={setDraft} me={me} onApply={apply} />
      <AuditEntries filters={applied} me={me} />
    </div>
  );
}
