import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { agentProfile, searchAgents } from "~/server/market/catalog";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const marketRouter = createTRPCRouter({
  agents: publicProcedure
    .input(z.object({ query: z.string().max(FIELD_LIMITS.searchQueryChars).optional() }).optional())
    .query(({ ctx, input }) => searchAgents(ctx.engine, input?.query)),
  agent: publicProcedure
    .input(z.object({ handle: z.string().min(1).max(FIELD_LIMITS.handleLookupChars) }))
    .query(({ ctx, input }) => agentProfile(ctx.engine, input.handle)),
});
