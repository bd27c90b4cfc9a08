import { SECURITY_HEADERS } from "@shop/kit";
import type { MiddlewareHandler } from "hono";
import type { CorsPolicy } from "./cors.js";

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
