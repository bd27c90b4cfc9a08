import type { MiddlewareHandler } from "hono";
import type { Logger } from "./logger.js";
import { elapsedMs, logAccess, requestIdFrom } from "./request-log.js";
import { SERVICE_SECURITY_HEADERS } from "./security-headers.js";

/** Hono variables every service app sets. */
export interface ServiceVariables {
  requestId: string;
  log: Logger;
}
export type ServiceEnv = { Variables: ServiceVariables };

/**
 * Accepts a well-formed incoming `x-request-id` or makes one, echoes it on the
 * response, and gives the request a child logger that writes it on every line.
 */
export function requestContext(log: Logger): MiddlewareHandler<ServiceEnv> {
  return async function requestContextMiddleware(c, next) {
    const requestId = requestIdFrom(c.req.header("x-request-id"));
    c.set("requestId", requestId);
    c.set("log", log.child({ reqId: requestId }));
    await next();
    // After the handler: a Response it built itself (tRPC's adapter does) replaces
    // whatever was set on the context before.
    c.res.headers.set("x-request-id", requestId);
  };
}

/** One access-log line per request: method, path, status, duration, request id. */
export function accessLog(): MiddlewareHandler<ServiceEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const { method, path } = c.req;
    logAccess(c.var.log, { method, path, status: c.res.status, ms: elapsedMs(started) });
  };
}

const SECURITY_ENTRIES = Object.entries(SERVICE_SECURITY_HEADERS);

/**
 * {@link SERVICE_SECURITY_HEADERS} on every answer, errors included. A header the
 * handler set itself wins (the JWKS says how long it may be cached).
 */
export function securityHeaders(): MiddlewareHandler<ServiceEnv> {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const { headers } = c.res;
    for (const [name, value] of SECURITY_ENTRIES) if (!headers.has(name)) headers.set(name, value);
  };
}
