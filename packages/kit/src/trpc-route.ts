import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import { type AccessVerifier, bearerToken, type Caller, TokenError } from "@shop/auth-kit";
import type { AnyRouter } from "@trpc/server";
import type { MiddlewareHandler } from "hono";
import { clientAddress, LOOPBACK } from "./client-address.js";
import { AppError } from "./errors.js";
import type { ServiceEnv } from "./middleware.js";
import type { BaseContext } from "./trpc.js";

/** Options of {@link trpcRoute}. */
export interface TrpcRouteOptions<Deps> {
  /** Where the router is mounted, e.g. `/trpc/orders`. */
  endpoint: string;
  router: AnyRouter;
  deps: Deps;
  /** Verifies bearer tokens; every service checks them itself. */
  verifier: AccessVerifier;
  /** Peers whose `x-forwarded-for` is believed. */
  trustedProxies?: ReadonlySet<string>;
  /** Most procedure calls one batched request may carry. */
  maxBatchSize?: number;
}

/**
 * Mounts a service router on Hono. The context carries the verified caller:
 * the token is read only from `Authorization: Bearer`, and identity headers
 * such as `x-user-id` are never looked at.
 */
export function trpcRoute<Deps>(options: TrpcRouteOptions<Deps>): MiddlewareHandler<ServiceEnv> {
  const trusted = options.trustedProxies ?? LOOPBACK;
  return trpcServer({
    router: options.router,
    endpoint: options.endpoint,
    maxBatchSize: options.maxBatchSize ?? 10,
    async createContext({ req, resHeaders }, c) {
      let caller: Caller | null = null;
      let authError: TokenError | null = null;
      const token = bearerToken(req.headers.get("authorization"));
      if (token) {
        try {
          caller = await options.verifier.verify(token);
        } catch (error) {
          authError =
            error instanceof TokenError ? error : new TokenError("malformed", "Token is invalid");
        }
      }
      const ctx: BaseContext & { deps: Deps } = {
        requestId: c.var.requestId,
        log: c.var.log,
        caller,
        authError,
        clientAddress: clientAddress(
          getConnInfo(c).remote.address,
          req.headers.get("x-forwarded-for"),
          trusted,
        ),
        headers: req.headers,
        resHeaders,
        deps: options.deps,
      };
      return ctx as unknown as Record<string, unknown>;
    },
    responseMeta({ errors, info }) {
      const headers: Record<string, string> = { "cache-control": "no-store" };
      // A request tRPC could not even read (an unsupported content type, say)
      // gets a JSON error body without a content type, which fetch's Response
      // then labels text/plain. Label it JSON, as every other answer is.
      if (!info) headers["content-type"] = "application/json";
      for (const error of errors) {
        if (error.code === "UNAUTHORIZED") headers["www-authenticate"] = "Bearer";
        if (error.cause instanceof AppError && error.cause.retryAfterSeconds !== undefined) {
          headers["retry-after"] = String(Math.max(1, Math.ceil(error.cause.retryAfterSeconds)));
        }
      }
      return { headers };
    },
    onError({ error, path, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        const log = (ctx as BaseContext | undefined)?.log;
        log?.error({ err: error.cause ?? error, path }, "procedure failed");
      }
    },
  });
}
