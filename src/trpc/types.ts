// What procedures return, as the browser sees it (after superjson).
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type EscrowView = RouterOutputs["orders"]["list"][number];
export type ChatMessage = RouterOutputs["chat"]["messages"]["messages"][number];
export type ChatArtifact = ChatMessage["artifacts"][number];
export type OperationsOverview = RouterOutputs["admin"]["ops"];
export type DeliveryItem = OperationsOverview["webhooks"]["failing"][number];
export type ProcessHeartbeatsView = OperationsOverview["processes"][number];
