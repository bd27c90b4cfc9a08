import type { MiddlewareHandler } from "hono";
import type { CorsPolicy } from "./cors.js";

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
 * The Hono app's edge headers: security headers and CORS for configured
 * origins, set before the handler runs (so the response is built once with
 * them, errors included), and CORS preflights answered here.
 */
export function edgeHeaders(cors: CorsPolicy): MiddlewareHandler {
  return async function edgeHeadersMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (c.req.method === "OPTIONS") {
      const preflight = cors.preflightHeaders(origin) ?? {};
      return c.body(null, 204, { ...SECURITY_HEADERS, ...preflight });
    }
    for (const [name, value] of ENTRIES) c.header(name, value);
    const allowed = cors.responseHeaders(origin);
    if (allowed) for (const name in allowed) c.header(name, allowed[name]);
    await next();
  };
}
