// tRPC core: context, error mapping, and the procedure builders that check the
// session on every call. Routers stay thin: validate input with zod, call a
// service, return what it returns.
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import superjson from "superjson";
import { ZodError } from "zod";
import { isDomainError } from "~/domain/escrow/errors";
import type { SessionUser } from "../auth/session-user";
import type { EngineContext } from "../context";
import { conflictFromUniqueViolation, ServiceError } from "../errors";
import { INTERNAL_ERROR_MESSAGE, logInternalError } from "../http/internal-error";
import { nulTextError } from "../nul-text";
import { recordRequestMetric, stopwatch } from "../ops/metrics";

export interface TrpcContext {
  engine: EngineContext;
  user: SessionUser | null;
}

type TrpcCode = TRPCError["code"];

const CODE_BY_STATUS: Record<number, TrpcCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
};

/**
 * Domain and service errors become tRPC errors carrying the same code the agent API uses; a unique
 * violation (two requests racing to create one handle or address) becomes CONFLICT.
 */
function toTrpcError(error: unknown): unknown {
  const known = isDomainError(error) || error instanceof ServiceError ? error : conflictFromUniqueViolation(error);
  if (known) return new TRPCError({ code: CODE_BY_STATUS[known.status] ?? "BAD_REQUEST", message: known.message, cause: known });
  return error;
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, path }) {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // Not a refusal but a failure: its text (Prisma's message, table names, a stack) stays in the log.
      const requestId = logInternalError(`trpc ${path ?? "?"}`, error.cause ?? error);
      return {
        code: shape.code,
        message: `${INTERNAL_ERROR_MESSAGE} Please try again. Request id: ${requestId}.`,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appCode: "internal_error", zodIssues: null, requestId },
      };
    }
    const cause = error.cause;
    const appCode =
      isDomainError(cause) || cause instanceof ServiceError
        ? cause.code
        : cause instanceof ZodError
          ? "validation_error"
          : null;
    const zodIssues = cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null;
    const first = zodIssues?.[0];
    return {
      ...shape,
      // tRPC's own message for a zod failure is the issue list as pretty-printed JSON ("[\n  {\n    \"origin\"…"):
      // a caller gets the agent API's sentence instead, naming the first field and what it must be.
      ...(first ? { message: `The request is invalid (${first.path || "input"}: ${first.message}).` } : {}),
      data: { ...shape.data, appCode, requestId: null, zodIssues },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause ?? result.error);
    if (mapped instanceof TRPCError) throw mapped;
  }
  return result;
});

/** PostgreSQL cannot store U+0000: refuse it as a validation error, not a failed write (a 500). */
const refuseNulText = t.middleware(async ({ getRawInput, next }) => {
  const error = nulTextError(await getRawInput());
  if (error) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
  return next();
});

/**
 * tRPC's one place every procedure passes: counted and timed by procedure path (bounded: the router's
 * own names; an unknown path never reaches a procedure) and the HTTP status its answer maps to.
 */
const observe = t.middleware(async ({ path, next }) => {
  const elapsed = stopwatch();
  const result = await next();
  recordRequestMetric("trpc", path, result.ok ? 200 : getHTTPStatusCodeFromError(result.error), elapsed());
  return result;
});

export const publicProcedure = t.procedure.use(observe).use(mapErrors).use(refuseNulText);

/** Any signed-in, non-suspended person. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Moderators only; checked on every call. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Moderators only." });
  return next({ ctx });
});
