// How many procedure calls one tRPC request may batch (`/api/trpc/a,b,c?batch=1`). Unbounded, one
// POST of 1 MB held thousands of `chat.send` calls (300 messages written by one request in 2 s; each call
// runs at once, so a batch also takes every database connection): every per-request guard — the body
// cap, the request log, a rate limit — saw one request. The browser's batch link splits at the same
// number, so the app never sends a batch the server refuses. Pure: imported by the client too.

export const TRPC_MAX_BATCH_CALLS = 16;

/** The number of calls a tRPC request path names (`/api/trpc/a,b,c` → 3). */
export function trpcBatchCalls(pathname: string): number {
  let procedures = pathname.replace(/^\/api\/trpc\/?/, "");
  try {
    procedures = decodeURIComponent(procedures); // tRPC decodes the path too: `a%2Cb` is two calls
  } catch {
    // malformed: src/proxy.ts answers it before this route
  }
  return procedures === "" ? 0 : procedures.split(",").length;
}
