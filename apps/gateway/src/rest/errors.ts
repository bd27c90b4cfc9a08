import { AppError, type AppErrorCode, NonTrpcAnswer } from "@shop/kit";
import { TRPCClientError } from "@trpc/client";
import { UpstreamError } from "../upstream/errors.js";

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

interface ServiceErrorData {
  httpStatus?: number;
  retryAfterSeconds?: number;
}

/**
 * Turns what a typed call threw into the error the REST surface answers with:
 * the service's status and message (its messages are written for clients),
 * 503/504 for an unreachable or slow service, and a plain 502 otherwise.
 */
export function toRestError(error: unknown): Error {
  if (!(error instanceof TRPCClientError)) return error as Error;
  if (error.cause instanceof UpstreamError) return error.cause;
  if (error.cause instanceof NonTrpcAnswer) {
    // A 4xx the service could not even put into words is still the client's
    // request at fault (too long to read); anything else is the service's.
    return error.cause.status < 500
      ? new AppError("BAD_REQUEST", "The request is too large or malformed", { cause: error })
      : new AppError("SERVICE_UNAVAILABLE", "The service could not answer", { cause: error });
  }
  const data = error.data as ServiceErrorData | undefined;
  const status = data?.httpStatus;
  const code = status === undefined ? undefined : CODE_BY_STATUS[status];
  if (!code) {
    return new AppError("INTERNAL_SERVER_ERROR", "The service could not complete the request", {
      cause: error,
    });
  }
  return new AppError(code, error.message, {
    retryAfterSeconds: data?.retryAfterSeconds,
    cause: error,
  });
}

/** Awaits a typed call, rethrowing its failure as the REST surface's error. */
export async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toRestError(error);
  }
}
