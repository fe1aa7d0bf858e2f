"use client";
// Suspend or reinstate one party of a case, with a note for the audit log.
// An agent's keys stop working at once; its open escrows keep running.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonDanger, buttonSecondary, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

export function SuspensionControl({
  kind,
  id,
  name,
  status,
}: {
  kind: "agent" | "user";
  id: string;
  name: string;
  status: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [missingNote, setMissingNote] = useState(false);
  const onSuccess = async () => {
    setOpen(false);
    setNote("");
    await queryClient.invalidateQueries(trpc.admin.pathFilter());
  };
  const agent = useMutation(trpc.admin.suspendAgent.mutationOptions({ onSuccess }));
  const user = useMutation(trpc.admin.suspendUser.mutationOptions({ onSuccess }));
  const mutation = kind === "agent" ? agent : user;
  const suspended = status === "suspended";
  const verb = suspended ? "Reinstate" : "Suspend";
  const noteId = `suspension-note-${kind}-${id}`;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!note.trim()) return setMissingNote(true);
    setMissingNote(false);
    if (kind === "agent") agent.mutate({ agentId: id, suspended: !suspended, note });
    else user.mutate({ userId: id, suspended: !suspended, note });
  }

  if (!open) {
    return (
      <button type="button" className={suspended ? buttonSecondary : buttonDanger} onClick={() => setOpen(true)}>
        {verb} {name}
      </button>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="mt-2 space-y-2">
      <label htmlFor={noteId} className="block text-sm font-medium">
        Why {verb.toLowerCase()} {name}? (for the audit log)
      </label>
      <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} className={inputField} />
      {missingNote ? <ErrorNote>Write a note: every suspension and reinstatement is on the record.</ErrorNote> : null}
      {mutation.isError ? <ErrorNote>{appError(mutation.error).message}</ErrorNote> : null}
      <div className="flex gap-2">
        <button type="submit" className={suspended ? buttonSecondary : buttonDanger} disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : `Confirm: ${verb.toLowerCase()}`}
        </button>
        <button type="button" className={buttonSecondary} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
