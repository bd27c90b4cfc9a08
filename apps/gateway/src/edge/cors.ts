/** Request headers a browser client may send cross-origin. */
export const CORS_ALLOW_HEADERS = [
  "authorization",
  "content-type",
  "idempotency-key",
  "trpc-accept",
  "x-request-id",
  "x-shop-csrf",
];
export const CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"];
export const CORS_EXPOSE_HEADERS = ["retry-after", "www-authenticate", "x-request-id"];
export const CORS_MAX_AGE_S = 600;

/** CORS for the fast relay path; the Hono app uses hono/cors with the same lists. */
export interface CorsPolicy {
  /** Headers for a response to `origin`, or null when it is not allowed. */
  responseHeaders(origin: string | undefined): Readonly<Record<string, string>> | null;
  /** Headers for a preflight answer from `origin`, or null when it is not allowed. */
  preflightHeaders(origin: string | undefined): Readonly<Record<string, string>> | null;
}

/** Precomputes the headers of every allowed origin once, at start-up. */
export function createCorsPolicy(origins: readonly string[]): CorsPolicy {
  const response = new Map<string, Record<string, string>>();
  const preflight = new Map<string, Record<string, string>>();
  for (const origin of origins) {
    const base = {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      vary: "Origin",
    };
    response.set(origin, {
      ...base,
      "access-control-expose-headers": CORS_EXPOSE_HEADERS.join(", "),
    });
    preflight.set(origin, {
      ...base,
      "access-control-allow-methods": CORS_ALLOW_METHODS.join(", "),
      "access-control-allow-headers": CORS_ALLOW_HEADERS.join(", "),
      "access-control-max-age": String(CORS_MAX_AGE_S),
    });
  }
  return {
    responseHeaders: (origin) => (origin ? (response.get(origin) ?? null) : null),
    preflightHeaders: (origin) => (origin ? (preflight.get(origin) ?? null) : null),
  };
}
