import {
  type AccessVerifier,
  bearerToken,
  type Caller,
  INVALID_TOKEN_CHALLENGE,
  TokenError,
} from "@shop/auth-kit";
import type { TRPCError } from "@trpc/server";
import { clientAddress, LOOPBACK } from "./client-address.js";
import { AppError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { BaseContext } from "./trpc.js";

/** What a request brings to its procedure's context, whichever path serves it. */
export interface RequestFacts {
  requestId: string;
  log: Logger;
  headers: Headers;
  resHeaders: Headers;
  /** The socket's remote address. */
  peer: string | undefined;
}

/**
 * Builds procedure contexts. The caller comes only from a verified
 * `Authorization: Bearer` token; identity headers such as `x-user-id` are
 * never looked at, and `x-forwarded-for` only from a trusted proxy.
 */
export function contextBuilder<Deps>(options: {
  verifier: AccessVerifier;
  trustedProxies?: ReadonlySet<string>;
  deps: Deps;
}): (request: RequestFacts) => Promise<BaseContext & { deps: Deps }> {
  const trusted = options.trustedProxies ?? LOOPBACK;
  return async function createContext({ requestId, log, headers, resHeaders, peer }) {
    let caller: Caller | null = null;
    let authError: TokenError | null = null;
    const token = bearerToken(headers.get("authorization"));
    if (token) {
      try {
        caller = await options.verifier.verify(token);
      } catch (error) {
        authError =
          error instanceof TokenError ? error : new TokenError("malformed", "Token is invalid");
      }
    }
    return {
      requestId,
      log,
      caller,
      authError,
      clientAddress: clientAddress(peer, headers.get("x-forwarded-for"), trusted),
      headers,
      resHeaders,
      deps: options.deps,
    };
  };
}

/** Logs a procedure's internal error (with the request id); the client sees a safe message. */
export function logFailure(error: TRPCError, path: string | undefined, ctx: unknown): void {
  if (error.code === "INTERNAL_SERVER_ERROR") {
    const log = (ctx as BaseContext | undefined)?.log;
    log?.error({ err: error.cause ?? error, path }, "procedure failed");
  }
}

/** Headers every tRPC answer carries, from its errors. */
export function metaHeaders(
  errors: readonly TRPCError[],
  understood: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  // A request tRPC could not even read (an unsupported content type, say)
  // gets a JSON error body without a content type, which fetch's Response
  // then labels text/plain. Label it JSON, as every other answer is.
  if (!understood) headers["content-type"] = "application/json";
  for (const error of errors) {
    if (error.code === "UNAUTHORIZED") {
      headers["www-authenticate"] =
        error.cause instanceof TokenError ? INVALID_TOKEN_CHALLENGE : "Bearer";
    }
    if (error instanceof AppError && error.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
  }
  return headers;
}
