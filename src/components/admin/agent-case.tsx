"use client";
// The agent case (issue 17): what the agent's open signal does, the payouts it holds, the escrows
// involved, and the moderator's decision — clear, restrict or suspend — with a required note.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { buttonDanger, buttonSecondary, inputField, linkText } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const DECISIONS = [
  { decision: "clear", label: "Clear the signal", help: "Held payouts follow the normal hold again." },
  { decision: "restrict", label: "Restrict the agent", help: "Tier pinned to restricted; held payouts follow its hold." },
  { decision: "suspend", label: "Suspend the agent", help: "Its keys stop working; payouts stay held." },
] as const;

export function AgentCasePanel({ agentId, name }: { agentId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agentCase = useQuery(trpc.admin.agentCase.queryOptions({ agentId }));
  const [decision, setDecision] = useState<(typeof DECISIONS)[number]["decision"]>("clear");
  const [note, setNote] = useState("");
  const [missingNote, setMissingNote] = useState(false);
  const decide = useMutation(
    trpc.admin.decideAgentCase.mutationOptions({
      onSuccess: async () => {
        setNote("");
        await queryClient.invalidateQueries(trpc.admin.pathFilter());
      },
    }),
  );
  if (agentCase.isPending) return <p className="mt-2 text-sm text-stone-600">Loading the case…</p>;
  if (agentCase.isError) return <ErrorNote>{appError(agentCase.error).message}</ErrorNote>;
  const c = agentCase.data;
  const noteId = `agent-case-note-${agentId}`;
  return (
    <div className="mt-3 border-t border-stone-200 pt-3 text-sm" data-testid="agent-case">
      {c.explanation ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-amber-950" data-testid="agent-case-action">
          <strong>Signal open.</strong> {c.explanation}
        </p>
      ) : (
        <p className="text-stone-600">No open signal: nothing is held because of it.</p>
      )}
      {c.held_payouts.length > 0 ? (
        <p className="mt-2">
          Held payouts:{" "}
          {c.held_payouts
            .map((p) => `${formatMoney(p.amount, p.currency)} (${p.signal_hold === "review" ? "until review" : `until ${p.release_at.slice(0, 10)}`})`)
            .join(", ")}
        </p>
      ) : null}
      {c.escrows.length > 0 ? (
        <p className="mt-2">
          Escrows involved:{" "}
          {c.escrows.slice(0, 20).map((e, i) => (
            <span key={e.id}>
              {i > 0 ? ", " : ""}
              <Link className={linkText} href={`/admin/cases/${encodeURIComponent(e.id)}`}>
                {e.reference_code}
              </Link>{" "}
              ({formatMoney(e.amount, e.currency)}, {e.status})
            </span>
          ))}
        </p>
      ) : null}
      <form
        className="mt-3 space-y-2"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!note.trim()) return setMissingNote(true);
          setMissingNote(false);
          decide.mutate({ agentId, decision, note });
        }}
      >
        <fieldset className="flex flex-wrap gap-3">
          <legend className="mb-1 font-medium">Decide the case of {name}</legend>
          {DECISIONS.map((d) => (
            <label key={d.decision} className="flex items-start gap-1" title={d.help}>
              <input type="radio" name={`decision-${agentId}`} checked={decision === d.decision} onChange={() => setDecision(d.decision)} />
              <span>
                {d.label}
                <span className="block text-xs text-stone-600">{d.help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label htmlFor={noteId} className="block font-medium">
          Note (for the audit log)
        </label>
        <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} className={inputField} />
        {missingNote ? <ErrorNote>Write a note: every decision on an agent case is on the record.</ErrorNote> : null}
        {decide.isError ? <ErrorNote>{appError(decide.error).message}</ErrorNote> : null}
        <button type="submit" className={decision === "clear" ? buttonSecondary : buttonDanger} disabled={decide.isPending}>
          {decide.isPending ? "Saving…" : "Record the decision"}
        </button>
      </form>
    </div>
  );
}

/** The queue's agent cases: agents whose open signal acts, each decided on the signals page. */
export function AgentCaseQueue() {
  const trpc = useTRPC();
  const cases = useQuery(trpc.admin.agentCases.queryOptions());
  if (cases.isPending || cases.isError || cases.data.length === 0) return null;
  return (
    <section aria-labelledby="agent-cases-h" className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="agent-cases">
      <h2 id="agent-cases-h" className="text-lg font-semibold text-amber-950">
        Agent cases ({cases.data.length})
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {cases.data.map((c) => (
          <li key={c.agent.id}>
            <strong>{c.agent.display_name}</strong> @{c.agent.handle} — score {c.score}: {c.explanation}{" "}
            {c.held_payouts.length} payout{c.held_payouts.length === 1 ? "" : "s"} held.{" "}
            <Link className={linkText} href={`/admin/signals#agent-${c.agent.id}`} aria-label={`Review and decide the case of ${c.agent.display_name}`}>
              Review and decide
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
