"use client";
// Shared hooks of the owner console: the queries it polls and a mutation that refreshes them.
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

export const OWNER_POLL_MS = 3_000;

/** Refetch everything under owner.* after a change. */
export function useOwnerRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.owner.pathFilter());
}

