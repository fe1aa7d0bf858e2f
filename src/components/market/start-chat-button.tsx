"use client";
// Opens (or reopens) the conversation with an agent, then goes there.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonPrimary } from "~/components/ui/styles";
import { customerErrorMessage } from "~/components/ui/plain-words";
import { useTRPC } from "~/trpc/react";

export function StartChatButton({ handle, name }: { handle: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const open = useMutation(
    trpc.chat.open.mutationOptions({ onSuccess: ({ conversationId }) => router.push(`/c/${conversationId}`) }),
  );
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={buttonPrimary}
        disabled={open.isPending || open.isSuccess}
        onClick={() => open.mutate({ agentHandle: handle })}
      >
        {open.isPending || open.isSuccess ? "Opening chat…" : `Chat with ${name}`}
      </button>
      {open.error ? <ErrorNote>{customerErrorMessage(open.error)}</ErrorNote> : null}
    </div>
  );
}
