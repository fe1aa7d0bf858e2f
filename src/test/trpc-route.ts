// The tRPC route handler as a browser reaches it, on a database of the test file's own: the route is
// imported after DATABASE_URL and the auth settings point at that database, and sessions are made
// through the same adapter sign-in uses. Used by the route's tests (authentication, CSRF, fuzzing,
// hostile input).
import { createTestDatabase, type TestDatabase } from "./db";

export const TRPC_BASE_URL = "http://localhost:3000";
/** The headers a same-origin fetch from the app sends with a mutation. */
export const SAME_ORIGIN_HEADERS = { origin: TRPC_BASE_URL, "x-holdfast-csrf": "1", "content-type": "application/json" };

export interface TrpcRoute {
  tdb: TestDatabase;
  GET(request: Request): Promise<Response>;
  POST(request: Request): Promise<Response>;
  /** GET or POST by the request's method. */
  handle(request: Request): Promise<Response>;
  /** A session cookie value for the user (next-auth's database session), valid for an hour by default. */
  createSession(userId: string, expires?: Date): Promise<string>;
  close(): Promise<void>;
}

export async function openTrpcRoute(): Promise<TrpcRoute> {
  const tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.NEXTAUTH_SECRET = "t".repeat(40);
  process.env.HOLDFAST_BASE_URL = TRPC_BASE_URL;
  const route = (await import("~/app/api/trpc/[trpc]/route")) as unknown as Pick<TrpcRoute, "GET" | "POST">;
  const { holdfastAdapter } = await import("~/server/auth/adapter");
  const adapter = holdfastAdapter(tdb.db);
  return {
    tdb,
    GET: (request) => route.GET(request),
    POST: (request) => route.POST(request),
    handle: (request) => (request.method === "GET" ? route.GET : route.POST)(request),
    async createSession(userId, expires = new Date(Date.now() + 3_600_000)) {
      const sessionToken = `tok${Math.random().toString(36).slice(2)}${"x".repeat(20)}`;
      await adapter.createSession!({ sessionToken, userId, expires });
      return sessionToken;
    },
    async close() {
      const { getDb } = await import("~/server/db/client");
      await getDb().$disconnect();
      await tdb.drop();
    },
  };
}
