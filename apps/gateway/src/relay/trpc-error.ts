import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";

const KEY_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/**
 * The JSON of a tRPC error answered by the gateway itself, in the services'
 * shape (`data.code`, `data.httpStatus`, `data.retryAfterSeconds`), so
 * @trpc/client reads it as it reads theirs. One object serves a batch too:
 * the client applies it to every call of the batch.
 */
export function trpcErrorBody(
  status: number,
  message: string,
  extra?: { retryAfterSeconds?: number },
): string {
  const key = KEY_BY_STATUS[status] ?? "INTERNAL_SERVER_ERROR";
  return JSON.stringify({
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY[key],
      data: { code: key, httpStatus: status, ...extra },
    },
  });
}
