import { z } from "zod";
import { agentProfile, searchAgents } from "~/server/market/catalog";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const marketRouter = createTRPCRouter({
  agents: publicProcedure
    .input(z.object({ query: z.string().max(200).optional() }).optional())
    .query(({ ctx, input }) => searchAgents(ctx.engine, input?.query)),
  agent: publicProcedure
    .input(z.object({ handle: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => agentProfile(ctx.engine, input.handle)),
});
