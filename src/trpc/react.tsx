"use client";
// The browser's tRPC client: batched HTTP to /api/trpc with superjson and the
// CSRF header, and TanStack Query bindings (useTRPC().x.queryOptions()).
import { QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { CSRF_HEADER, CSRF_HEADER_VALUE } from "~/server/auth/csrf";
import { TRPC_MAX_BATCH_CALLS } from "~/server/http/trpc-batch";
import { getQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: "/api/trpc",
          maxItems: TRPC_MAX_BATCH_CALLS,
          transformer: superjson,
          headers: () => ({ [CSRF_HEADER]: CSRF_HEADER_VALUE }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
