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
      // The chat reads its orders through orders.list: re-read them now, not at the next poll.
      queryClient.invalidateQueries(trpc.orders.pathFilter()),
      queryClient.invalidateQueries(trpc.wallet.pathFilter()),
      queryClient.invalidateQueries({ queryKey: [CHAT_LOG_KEY, conversationId] }),
    ]);
}

/** Frames (about 3 s) to wait for the re-read order to render before giving up on moving focus. */
const FOCUS_FRAMES = 180;

/**
 * After a move the button pressed is gone (the order moved on), and focus would fall to the page's body:
 * put it on the order's status instead (the pinned bar, or the offer's state line once the order is
 * finished), so a keyboard or screen-reader user hears where the order is now and goes on from there.
 * Waits, frame by frame, for the re-read order to render; leaves focus alone if the person moved it.
 */
export function focusOrder(escrowId: string, pressed: Element | null, frames = FOCUS_FRAMES): void {
  if (typeof window === "undefined") return;
  requestAnimationFrame(() => {
    const active = document.activeElement;
    const lost = active === null || active === document.body || !active.isConnected;
    if (!lost && active !== pressed) return;
    const target = lost ? document.querySelector<HTMLElement>(`[data-order-focus="${CSS.escape(escrowId)}"]`) : null;
    target?.focus();
    // Keep watching until the frames run out: the element focused now may be the pinned bar of an order that
    // has just finished, which the re-read order replaces by the offer's state line once it renders.
    if (frames > 0) focusOrder(escrowId, target ?? pressed, frames - 1);
  });
}

export function useEscrowCommands(conversationId: string) {
  const trpc = useTRPC();
  const refresh = useRefreshAfterCommand(conversationId);
  const options = {
    onSuccess: async (_data: unknown, input: { escrowId: string }) => {
      const pressed = document.activeElement;
      await refresh();
      focusOrder(input.escrowId, pressed);
    },
  };
  return {
    accept: useMutation(trpc.escrow.accept.mutationOptions(options)),
    decline: useMutation(trpc.escrow.decline.mutationOptions(options)),
    approve: useMutation(trpc.escrow.approve.mutationOptions(options)),
    dispute: useMutation(trpc.escrow.dispute.mutationOptions(options)),
    extendReview: useMutation(trpc.escrow.extendReview.mutationOptions(options)),
    withdrawDispute: useMutation(trpc.escrow.withdrawDispute.mutationOptions(options)),
    proposeSettlement: useMutation(trpc.escrow.proposeSettlement.mutationOptions(options)),
    acceptSettlement: useMutation(trpc.escrow.acceptSettlement.mutationOptions(options)),
    escalate: useMutation(trpc.escrow.escalate.mutationOptions(options)),
    cancelOverdue: useMutation(trpc.escrow.cancelOverdue.mutationOptions(options)),
    addStatement: useMutation(trpc.escrow.addStatement.mutationOptions(options)),
  };
}
