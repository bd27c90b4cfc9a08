import { elapsedMs, type Logger, logAccess, requestIdFrom, type ServiceEnv } from "@shop/kit";
import type { MiddlewareHandler } from "hono";

/**
 * The Hono side's request id and access log in one step, written like the
 * relay's: the id is accepted or made, echoed, and on the access-log line.
 * `log` is the base logger; the few lines written elsewhere add `reqId`
 * themselves, so no child logger is made per request.
 */
export function requestContext(log: Logger): MiddlewareHandler<ServiceEnv> {
  return async function gatewayRequestContext(c, next) {
    const started = performance.now();
    const requestId = requestIdFrom(c.req.header("x-request-id"));
    c.set("requestId", requestId);
    c.set("log", log);
    c.header("x-request-id", requestId);
    await next();
    logAccess(log, {
      reqId: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: elapsedMs(started),
    });
  };
}
