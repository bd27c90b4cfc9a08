import type { MiddlewareHandler } from "hono";

/**
 * Response headers for a JSON API: nothing may frame, sniff or embed it, and
 * nothing is cached. Computed once; the fast relay path and the Hono app both
 * write exactly these.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-site",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-frame-options": "DENY",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
});

const ENTRIES = Object.entries(SECURITY_HEADERS);

/**
 * Sets {@link SECURITY_HEADERS} on every response of the Hono app, except where
 * a route chose its own value (the JWKS may be cached).
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of ENTRIES) if (!headers.has(name)) headers.set(name, value);
  };
}
