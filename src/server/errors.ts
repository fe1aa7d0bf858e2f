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
  | "rate_limited";

const STATUS: Record<ServiceErrorCode, number> = {
  not_found: 404,
  validation_error: 400,
  idempotency_key_reused: 409,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
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
    this.status = STATUS[code];
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
