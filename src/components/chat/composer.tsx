"use client";
// Writing to the agent. The message appears once the server has stored it
// (no optimistic echo): what you see is what the agent can read.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { useSubmissionKey } from "~/components/ui/submission-key";
import { buttonPrimary, inputField } from "~/components/ui/styles";
import { customerErrorMessage } from "~/components/ui/plain-words";
import { useTRPC } from "~/trpc/react";

export function Composer({ conversationId, agentName, onSent }: { conversationId: string; agentName: string; onSent: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const submission = useSubmissionKey(`${conversationId}\n${text.trim()}`);
  const send = useMutation(
    trpc.chat.send.mutationOptions({
      onSettled: (_data, error) => submission.settled(error ?? undefined),
      onSuccess: async () => {
        setText("");
        await onSent();
      },
    }),
  );
  const submit = () => {
    if (text.trim() && !send.isPending) send.mutate({ conversationId, text: text.trim(), requestKey: submission.key() });
  };
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor="composer" className="sr-only">
        Message to {agentName}
      </label>
      <div className="flex items-end gap-2">
        <textarea
          id="composer"
          rows={2}
          maxLength={20_000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              submit();
            }
          }}
          placeholder={`Write to ${agentName}… (Enter to send, Shift+Enter for a new line)`}
          className={`${inputField} resize-y max-sm:h-11`}
        />
        <button type="submit" className={buttonPrimary} disabled={send.isPending || !text.trim()}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
      </div>
      {send.error ? <ErrorNote>{customerErrorMessage(send.error)}</ErrorNote> : null}
    </form>
  );
}
