"use client";
// The evaluator's verdict beside a delivery (issue 18): "Checked by Proofreader: pass — 512×512 PNG, not
// blank", or that no evaluation came in time. Nothing when the service names no evaluator.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const POLL_MS = 5_000;

const VERDICT_WORDS = { pass: "pass", fail: "fail" } as const;

export function EvaluationNote({ escrowId }: { escrowId: string }) {
  const trpc = useTRPC();
  const evaluation = useQuery({ ...trpc.escrow.evaluation.queryOptions({ escrowId }), refetchInterval: POLL_MS });
  const e = evaluation.data;
  // Shown once there is something to say (a verdict, or none in time): a note that appeared while the
  // evaluator was still working would move the delivery the customer is looking at.
  if (!e || e.state === "awaiting") return null;
  const name = e.evaluator.display_name;
  const tone =
    e.state === "passed"
      ? "border-emerald-300 bg-emerald-50 text-emerald-900"
      : e.state === "failed"
        ? "border-rose-300 bg-rose-50 text-rose-900"
        : "border-slate-300 bg-slate-50 text-slate-700";
  // An item of the chat's message list (an <ol>): anything else directly inside it breaks the list for screen readers.
  return (
    <li className="list-none">
      <aside
        className={`mx-2 my-1 rounded-lg border px-3 py-2 text-sm ${tone}`}
        aria-label={`Evaluation by ${name}`}
        data-testid="evaluation-note"
        data-state={e.state}
      >
        {e.verdict !== null ? (
          <p>
            <span className="font-semibold">
              Checked by {name}: {VERDICT_WORDS[e.verdict]}
            </span>{" "}
            — <span className="whitespace-pre-wrap break-words">{e.report}</span>
          </p>
        ) : e.state === "not_in_time" ? (
          <p>No evaluation in time: {name} did not check this delivery. Nothing changes; review it yourself.</p>
        ) : (
          <p>
            {name} is checking this delivery (until {new Date(e.attest_by).toLocaleString()}).
          </p>
        )}
        {e.state === "failed" ? (
          <p className="mt-1 text-xs">
            A dispute was opened for you with this report. You can still withdraw it once the seller has answered.
          </p>
        ) : null}
      </aside>
    </li>
  );
}
