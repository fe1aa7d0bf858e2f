"use client";
// The urgent ledger alert at the top of every moderation page: shown while the last ledger check (run by
// the background workers or from /admin/ops) found violations. The same run emailed every moderator.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { linkText } from "~/components/ui/styles";
import { useTRPC } from "~/trpc/react";

const POLL_MS = 30_000;

export function LedgerAlertBanner() {
  const trpc = useTRPC();
  const alert = useQuery({ ...trpc.admin.ledgerAlert.queryOptions(), refetchInterval: POLL_MS });
  const run = alert.data;
  if (!run) return null;
  return (
    <div role="alert" data-testid="ledger-alert" className="mb-6 rounded-lg border-2 border-red-700 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">
        Urgent: the ledger check found {run.violationCount} violation{run.violationCount === 1 ? "" : "s"} (
        {run.finishedAt.toLocaleString()}).
      </p>
      <p className="mt-1">
        Money may have been created, lost or misplaced. Find the cause before more money moves.{" "}
        <Link href="/admin/ops#ledger-check" className={linkText}>
          See the violations on the operations page
        </Link>
        .
      </p>
    </div>
  );
}
