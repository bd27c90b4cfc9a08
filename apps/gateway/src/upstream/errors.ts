/** How a call to a service failed: it could not be reached, or it did not answer in time. */
export type UpstreamFailure = "unavailable" | "timeout";

/** A service could not serve a call; the edge answers 503 or 504. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    readonly service: string,
    readonly failure: UpstreamFailure,
    options?: { cause?: unknown },
  ) {
    super(
      failure === "timeout"
        ? `The ${service} service did not answer in time`
        : `The ${service} service is unavailable`,
      options,
    );
  }

  get status(): 503 | 504 {
    return this.failure === "timeout" ? 504 : 503;
  }
}

// Errors raised before a single byte of the request reached the service: the
// call can safely go to another replica, whatever its method.
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the request never reached the service (safe to retry elsewhere). */
export function isConnectError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && CONNECT_CODES.has(code);
}

/**
 * Classifies an undici error: a timeout, or the service being unreachable.
 * Returns null for an abort (the client went away), which is nobody's failure.
 */
export function classifyUpstreamError(error: unknown): UpstreamFailure | null {
  const code = codeOf(error);
  if (code === "UND_ERR_ABORTED" || (error as Error | undefined)?.name === "AbortError") {
    return null;
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) return "timeout";
  return "unavailable";
}
