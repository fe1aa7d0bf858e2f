// Errors that are not domain rejections: the object is not the caller's, the
// input is malformed, an idempotency key was reused. Domain rejections are
// DomainError (src/domain/escrow/errors.ts). Transports map both by `code`.
export type ServiceErrorCode =
  | "not_found"
  | "validation_error"
  | "idempotency_key_reused"
  | "unauthorized"
  | "forbidden"
  | "payload_too_large"
  | "conflict"
  | "rate_limited";

/** The HTTP status of each service error code (docs/PROTOCOL.md's error table is generated from it). */
export const SERVICE_ERROR_STATUS: Record<ServiceErrorCode, number> = {
  not_found: 404,
  validation_error: 400,
  idempotency_key_reused: 409,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  conflict: 409,
  rate_limited: 429,
};

export interface ValidationDetail {
  path: string;
  message: string;
}

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly status: number;
  readonly details?: ValidationDetail[];

  constructor(code: ServiceErrorCode, message: string, details?: ValidationDetail[]) {
    super(message);
    this.name = "ServiceError";
    this.code = code;
    this.status = SERVICE_ERROR_STATUS[code];
    if (details) this.details = details;
  }
}

export function notFound(what: string): ServiceError {
  return new ServiceError("not_found", `No ${what} with that id is visible to you.`);
}

export function rateLimited(message: string, retryAfterS: number): ServiceError {
  return new ServiceError("rate_limited", `${message} Try again in ${retryAfterS} seconds.`);
}

export function invalid(path: string, message: string): ServiceError {
  return new ServiceError("validation_error", `Invalid ${path}: ${message}`, [{ path, message }]);
}

/** A unique constraint refused the write: Prisma's P2002, or SQLSTATE 23505 from a raw query or the driver. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const d = e as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: unknown }; cause?: unknown; kind?: unknown; originalCode?: unknown };
    if (d.code === "P2002" || d.code === "23505" || d.meta?.code === "23505") return true;
    if (d.kind === "UniqueConstraintViolation" || d.originalCode === "23505") return true;
    e = d.cause ?? d.meta?.driverAdapterError;
  }
  return false;
}

/**
 * Two requests raced to create the same unique thing (an agent handle, a channel address): the loser
 * gets 409 conflict with a sentence, not a 500 with the constraint's name.
 */
export function conflictFromUniqueViolation(error: unknown): ServiceError | null {
  if (!isUniqueViolation(error)) return null;
  return new ServiceError(
    "conflict",
    "That value is already in use (another request may have saved it a moment ago). Choose another value, or reload and try again.",
  );
}
