import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import type { AccessVerifier } from "@shop/auth-kit";
import type { AnyRouter } from "@trpc/server";
import type { ServiceApp } from "./server.js";
import { contextBuilder, logFailure, metaHeaders } from "./trpc-context.js";
import { singleCallRoute } from "./trpc-single-call.js";

/** Options of {@link mountTrpc}. */
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
  /**
   * Answer single GET queries and single POST mutations below Hono (default
   * true); false sends every request through tRPC's fetch adapter, to compare
   * the two.
   */
  singleCallFastPath?: boolean;
}

/**
 * Mounts a service router on the app. The context carries the verified
 * caller (see {@link contextBuilder}).
 *
 * A single GET query or POST mutation, the hot path of every read and write,
 * is answered below Hono by {@link singleCallRoute}; everything else
 * (batches, unknown paths, unreadable query input, bodies without a length)
 * goes through tRPC's fetch adapter on Hono. Both answer alike, byte for byte
 * (tested).
 */
export function mountTrpc<Deps>(app: ServiceApp, options: TrpcRouteOptions<Deps>): void {
  const createContext = contextBuilder(options);
  app.use(
    `${options.endpoint}/*`,
    trpcServer({
      router: options.router,
      endpoint: options.endpoint,
      maxBatchSize: options.maxBatchSize ?? 10,
      createContext: async ({ req, resHeaders }, c) =>
        (await createContext({
          requestId: c.var.requestId,
          log: c.var.log,
          headers: req.headers,
          resHeaders,
          peer: getConnInfo(c).remote.address,
        })) as unknown as Record<string, unknown>,
      responseMeta: ({ errors, info }) => ({ headers: metaHeaders(errors, info !== undefined) }),
      onError: ({ error, path, ctx }) => logFailure(error, path, ctx),
    }),
  );
  if (options.singleCallFastPath !== false) {
    app.nodeRoutes.push(
      singleCallRoute({
        endpoint: options.endpoint,
        router: options.router,
        log: app.log,
        bodyLimitBytes: app.bodyLimitBytes,
        createContext,
      }),
    );
  }
}
