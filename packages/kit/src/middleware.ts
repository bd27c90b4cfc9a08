import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "./logger.js";

/** Hono variables every service app sets. */
export interface ServiceVariables {
  requestId: string;
  log: Logger;
}
export type ServiceEnv = { Variables: ServiceVariables };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Accepts a well-formed incoming `x-request-id` or makes one, echoes it on the
 * response, and gives the request a child logger that writes it on every line.
 */
export function requestContext(log: Logger): MiddlewareHandler<ServiceEnv> {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    c.set("log", log.child({ reqId: requestId }));
    c.header("x-request-id", requestId);
    await next();
  };
}

/** One access-log line per request: method, path, status, duration, request id. */
export function accessLog(): MiddlewareHandler<ServiceEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const { method, path } = c.req;
    const status = c.res.status;
    const line = { method, path, status, ms };
    const msg = `${method} ${path} ${status} ${ms}ms`;
    if (status >= 500) c.var.log.error(line, msg);
    else c.var.log.info(line, msg);
  };
}
