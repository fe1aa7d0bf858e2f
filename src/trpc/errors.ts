// Reading the errors tRPC procedures return: the message written for people,
// and the engine's code (data.appCode, e.g. insufficient_funds).
import { TRPCClientError } from "@trpc/client";

export interface AppError {
  message: string;
  appCode: string | null;
  httpCode: string | null;
}

export function appError(error: unknown): AppError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { appCode?: unknown; code?: unknown };
    return {
      message: error.message,
      appCode: typeof data.appCode === "string" ? data.appCode : null,
      httpCode: typeof data.code === "string" ? data.code : null,
    };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong.", appCode: null, httpCode: null };
}
