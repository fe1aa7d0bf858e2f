import { adminRouter } from "./routers/admin";
import { chatRouter } from "./routers/chat";
import { escrowRouter } from "./routers/escrow";
import { marketRouter } from "./routers/market";
import { ordersRouter } from "./routers/orders";
import { ownerRouter } from "./routers/owner";
import { walletRouter } from "./routers/wallet";
import type { SessionUser } from "../auth/session-user";
import { createCallerFactory, createTRPCRouter } from "./trpc";
import type { EngineContext } from "../context";

export const appRouter = createTRPCRouter({
  escrow: escrowRouter,
  chat: chatRouter,
  wallet: walletRouter,
  market: marketRouter,
  admin: adminRouter,
  orders: ordersRouter,
  owner: ownerRouter,
});

export type AppRouter = typeof appRouter;

const createCaller = createCallerFactory(appRouter);

/** Calls procedures server-side as `user` (tests, server components). */
export function callerFor(engine: EngineContext, user: SessionUser | null) {
  return createCaller({ engine, user });
}
