// The transport's error shape (PROTOCOL.md Conventions → Errors). Services
// throw coded errors; only this file turns them into status + body.
import { z } from "zod";
import { DomainError } from "~/domain/escrow/errors";
import { conflictFromUniqueViolation, ServiceError, type ValidationDetail } from "../errors";
import { INTERNAL_ERROR_MESSAGE, logInternalError } from "../http/internal-error";
import type { OperationResult } from "./operation";

export function errorBody(code: string, message: string, details?: ValidationDetail[]) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

function errorResult(status: number, code: string, message: string, details?: ValidationDetail[]): OperationResult {
  return { status, body: errorBody(code, message, details) };
}

/** An error response of the API itself (413, 429, 401, …). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function validationError(error: z.ZodError): ServiceError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : "the request is malformed";
  return new ServiceError("validation_error", `The request is invalid (${summary}).`, details);
}

/** A 4xx for a coded error, or null for anything unexpected (answered 500 and logged). */
export function knownErrorResult(error: unknown): OperationResult | null {
  if (error instanceof ServiceError) return errorResult(error.status, error.code, error.message, error.details);
  if (error instanceof DomainError) return errorResult(error.status, error.code, error.message);
  if (error instanceof ApiError) return errorResult(error.status, error.code, error.message);
  const conflict = conflictFromUniqueViolation(error);
  if (conflict) return errorResult(conflict.status, conflict.code, conflict.message);
  return null;
}

export function toErrorResult(error: unknown): OperationResult {
  const known = knownErrorResult(error);
  if (known) return known;
  const requestId = logInternalError("agent API", error);
  return {
    status: 500,
    body: {
      error: {
        code: "internal_error",
        message: `${INTERNAL_ERROR_MESSAGE} Retry the request; it is safe with the same Idempotency-Key. Request id: ${requestId}.`,
        request_id: requestId,
      },
    },
  };
}
