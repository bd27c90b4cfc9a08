import { INVALID_TOKEN_CHALLENGE, INVALID_TOKEN_MESSAGE } from "@shop/auth-kit";
import { AppError, type Logger, type ServiceEnv } from "@shop/kit";
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UpstreamError } from "./upstream/errors.js";

/** A failure as the REST surface answers it. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export { INVALID_TOKEN_CHALLENGE, INVALID_TOKEN_MESSAGE };

/** A 401 for a presented token that was refused; `reason` is logged, never sent. */
export class InvalidTokenError extends AppError {
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super("UNAUTHORIZED", INVALID_TOKEN_MESSAGE, { cause });
  }
}

const TOO_LARGE: ErrorAnswer = {
  status: 413,
  // The rest of the body is never read: close the connection rather than
  // leave the client a keep-alive socket the server is about to drop.
  headers: { connection: "close" },
  body: { message: "Request body too large" },
};

/** 413 for a body over the limit; its unread rest goes with the connection. */
export function tooLarge(c: Context) {
  return c.json(TOO_LARGE.body, TOO_LARGE.status, TOO_LARGE.headers);
}

/**
 * The REST surface's one error formatter, for the Hono app and the read route
 * below it: every failure becomes JSON `{message}` with its status; internals
 * are logged with the request id, never sent.
 */
export function errorAnswer(error: unknown, log: Logger, requestId: string): ErrorAnswer {
  if (error instanceof InvalidTokenError) {
    log.info({ reqId: requestId, reason: error.reason }, "access token refused");
    return {
      status: 401,
      headers: { "www-authenticate": INVALID_TOKEN_CHALLENGE },
      body: { message: error.message },
    };
  }
  if (error instanceof AppError) {
    if (error.status === 413) return TOO_LARGE;
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
    if (error.status >= 500)
      log.warn({ reqId: requestId, err: error.cause ?? error }, error.message);
    if (error.status === 401) {
      // A service refused the token the gateway let through (it expired on the way, say).
      headers["www-authenticate"] =
        error.message === INVALID_TOKEN_MESSAGE ? INVALID_TOKEN_CHALLENGE : 'Bearer realm="shop"';
    }
    return {
      status: error.status as ContentfulStatusCode,
      headers,
      body: { message: error.message, ...error.details },
    };
  }
  if (error instanceof UpstreamError) {
    log.warn({ reqId: requestId, err: error.cause ?? error }, error.message);
    return { status: error.status, headers: {}, body: { message: error.message } };
  }
  if (error instanceof HTTPException) {
    return {
      status: error.status,
      headers: {},
      body: { message: error.message || "Request failed" },
    };
  }
  log.error({ reqId: requestId, err: error }, "unhandled error");
  return {
    status: 500,
    headers: {},
    body: { message: "Internal server error", request_id: requestId },
  };
}

/** The Hono app's error handler: {@link errorAnswer} as a response. */
export const onGatewayError: ErrorHandler<ServiceEnv> = (error, c) => {
  const answer = errorAnswer(error, c.get("log"), c.get("requestId"));
  return c.json(answer.body, answer.status, answer.headers);
};
