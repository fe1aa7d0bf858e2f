"use client";
// Running a customer command on an escrow. The screen changes only when the
// server has answered: then the escrow, the chat and the wallet are re-read.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

export const CHAT_LOG_KEY = "chat-log";

export function useRefreshAfterCommand(conversationId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.escrow.pathFilter()),
      queryClient.invalidateQueries(trpc.wallet.pathFilter()),
      queryClient.invalidateQueries({ queryKey: [CHAT_LOG_KEY, conversationId] }),
    ]);
}

export function useEscrowCommands(conversationId: string) {
  const trpc = useTRPC();
  const refresh = useRefreshAfterCommand(conversationId);
  const options = { onSuccess: () => refresh() };
  return {
    accept: useMutation(trpc.escrow.accept.mutationOptions(options)),
    decline: useMutation(trpc.escrow.decline.mutationOptions(options)),
    approve: useMutation(trpc.escrow.approve.mutationOptions(options)),
    dispute: useMutation(trpc.escrow.dispute.mutationOptions(options)),
    extendReview: useMutation(trpc.escrow.extendReview.mutationOptions(options)),
    proposeSettlement: useMutation(trpc.escrow.proposeSettlement.mutationOptions(options)),
    acceptSettlement: useMutation(trpc.escrow.acceptSettlement.mutationOptions(options)),
    escalate: useMutation(trpc.escrow.escalate.mutationOptions(options)),
    cancelOverdue: useMutation(trpc.escrow.cancelOverdue.mutationOptions(options)),
  };
}
