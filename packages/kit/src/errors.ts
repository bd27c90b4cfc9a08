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
 */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}
