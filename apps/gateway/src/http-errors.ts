import { AppError, type ServiceEnv } from "@shop/kit";
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UpstreamError } from "./upstream/errors.js";

/** 413 for a body over the limit; its unread rest goes with the connection. */
export function tooLarge(c: Context) {
  return c.json({ message: "Request body too large" }, 413, { connection: "close" });
}

/**
 * The Hono app's one error formatter: every failure becomes JSON `{message}`
 * with its status; internals are logged with the request id, never sent.
 */
export const onGatewayError: ErrorHandler<ServiceEnv> = (error, c) => {
  if (error instanceof AppError) {
    if (error.status === 413) return tooLarge(c);
    if (error.retryAfterSeconds !== undefined) {
      c.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    }
    if (error.status >= 500)
      c.get("log").warn({ reqId: c.get("requestId"), err: error.cause ?? error }, error.message);
    if (error.status === 401) c.header("www-authenticate", 'Bearer realm="shop"');
    return c.json(
      { message: error.message, ...error.details },
      error.status as ContentfulStatusCode,
    );
  }
  if (error instanceof UpstreamError) {
    c.get("log").warn({ reqId: c.get("requestId"), err: error.cause ?? error }, error.message);
    return c.json({ message: error.message }, error.status);
  }
  if (error instanceof HTTPException) {
    return c.json({ message: error.message || "Request failed" }, error.status);
  }
  c.get("log").error({ reqId: c.get("requestId"), err: error }, "unhandled error");
  return c.json({ message: "Internal server error", request_id: c.get("requestId") }, 500);
};
