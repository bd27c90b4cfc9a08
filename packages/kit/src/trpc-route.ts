import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import type { AccessVerifier } from "@shop/auth-kit";
import type { AnyRouter } from "@trpc/server";
import type { ServiceApp } from "./server.js";
import { contextBuilder, logFailure, metaHeaders } from "./trpc-context.js";
import { singleQueryRoute } from "./trpc-single-query.js";

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
   * Answer single GET queries below Hono (default true); false sends every
   * request through tRPC's fetch adapter, to compare the two.
   */
  singleQueryFastPath?: boolean;
}

/**
 * Mounts a service router on the app. The context carries the verified
 * caller (see {@link contextBuilder}).
 *
 * A single GET query, the hot path of every read, is answered below Hono by
 * {@link singleQueryRoute}; everything else (batches, mutations, unknown
 * paths, unreadable input) goes through tRPC's fetch adapter on Hono. Both
 * answer alike, byte for byte (tested).
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
  if (options.singleQueryFastPath !== false) {
    app.nodeRoutes.push(
      singleQueryRoute({
        endpoint: options.endpoint,
        router: options.router,
        log: app.log,
        createContext,
      }),
    );
  }
}
