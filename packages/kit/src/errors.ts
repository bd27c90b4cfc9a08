import { TRPCError } from "@trpc/server";

/** Error codes domain code may throw; each maps to one HTTP status. */
export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const;
export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

/** Extra facts an error carries to the client. */
export interface AppErrorOptions {
  /** Seconds the client should wait; becomes a `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Safe, client-facing details (never internals). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type domain code throws. Its message is shown to the client,
 * so it must be safe to show; internals go in `cause`, which is only logged.
 * It is a TRPCError, so a procedure that throws it answers with its code
 * directly; elsewhere (REST routes, the bank) it is mapped by `status`.
 */
export class AppError extends TRPCError {
  override readonly name = "AppError";
  declare readonly code: AppErrorCode;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super({ code, message, cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}
