import type { RequestListener } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { AUDIENCE, createAccessVerifier, createRemoteKeySet } from "@shop/auth-kit";
import type { Logger, ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { createAuthLimits } from "./edge/auth-limits.js";
import { createCorsPolicy } from "./edge/cors.js";
import { answerPlainError } from "./edge/plain-errors.js";
import { requestContext } from "./edge/request-context.js";
import { edgeHeaders } from "./edge/security-headers.js";
import type { Config } from "./env.js";
import { onGatewayError, tooLarge } from "./http-errors.js";
import { createRelayHandler } from "./relay/handler.js";
import { createServiceClients } from "./rest/clients.js";
import { restRoutes } from "./rest/index.js";
import { createReadRoute, type ReadRoute } from "./rest/read-route.js";
import { restReads } from "./rest/reads.js";
import { healthRoute } from "./routes/health.js";
import { jwksRoute } from "./routes/jwks.js";
import { createUpstream } from "./upstream/upstream.js";

/** A built gateway: the Hono app, the node:http listener in front of it, and how to stop. */
export interface Gateway {
  app: Hono<ServiceEnv>;
  /** Serves `/trpc/*` on the fast relay path, the REST reads below Hono, everything else through Hono. */
  listener: RequestListener;
  close(): Promise<void>;
}

/**
 * Builds the gateway once: key set, verifier, connection pools, limiters and
 * precomputed headers are made here and shared by every request.
 */
export async function createApp(config: Config, log: Logger): Promise<Gateway> {
  const upstreamOptions = {
    connections: config.upstreamConnections,
    connectTimeoutMs: config.connectTimeoutMs,
    ejectMs: config.replicaEjectMs,
    timeoutMs: config.upstreamTimeoutMs,
  };
  const upstreams = {
    auth: createUpstream("auth", config.upstreams.auth, upstreamOptions),
    users: createUpstream("users", config.upstreams.users, upstreamOptions),
    orders: createUpstream("orders", config.upstreams.orders, upstreamOptions),
  };
  const verifier = createAccessVerifier({
    keys: createRemoteKeySet(config.jwksUrls, {
      cooldownMs: config.jwksCooldownMs,
      cacheMaxAgeMs: config.jwksCacheMaxAgeMs,
      onStale: (error) => log.warn({ err: error }, "auth unreachable: using the last signing keys"),
    }),
    issuer: config.issuer,
    audience: AUDIENCE.gateway,
    cacheSize: config.tokenCacheSize,
  });
  const limits = createAuthLimits({
    loginPerMinute: config.loginRateLimit,
    refreshPerMinute: config.refreshRateLimit,
    disabled: config.rateLimitDisabled,
  });

  const cors = createCorsPolicy(config.corsOrigins);
  const relay = createRelayHandler({
    replicas: {
      auth: upstreams.auth.replicas,
      users: upstreams.users.replicas,
      orders: upstreams.orders.replicas,
    },
    verifier,
    limits,
    cors,
    trustedProxies: config.trustedProxies,
    bodyLimitBytes: config.bodyLimitBytes,
    timeoutMs: config.upstreamTimeoutMs,
    maxBatchSize: config.maxBatchSize,
    log,
  });

  const app = new Hono<ServiceEnv>();
  app.use(requestContext(log));
  app.use(edgeHeaders(cors));
  // A declared length over the limit is refused before anything is read; a
  // chunked body is counted where it is read (the relay, jsonBody). The
  // request's body stream is never touched here: Hono would build a fetch
  // Request and a web stream around it for every POST.
  app.use((c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || !(Number(declared) > config.bodyLimitBytes)) return next();
    return Promise.resolve(tooLarge(c));
  });
  app.route(
    "/",
    healthRoute({
      port: config.port,
      timeoutMs: Math.min(config.upstreamTimeoutMs, 2_000),
      targets: {
        auth_service: upstreams.auth,
        user_service: upstreams.users,
        orders_service: upstreams.orders,
      },
    }),
  );
  app.route("/", jwksRoute(upstreams.auth));
  const clients = createServiceClients(upstreams);
  const reads = restReads(clients);
  app.route(
    "/gateway",
    restRoutes({
      clients,
      reads,
      verifier,
      limits,
      trustedProxies: config.trustedProxies,
      bodyLimitBytes: config.bodyLimitBytes,
    }),
  );
  app.notFound((c) => c.json({ message: "Not found" }, 404));
  app.onError(onGatewayError);

  const honoListener = getRequestListener(app.fetch);
  const readRoute: ReadRoute = config.restReadRoute
    ? createReadRoute({
        reads,
        verifier,
        cors,
        trustedProxies: config.trustedProxies,
        bodyLimitBytes: config.bodyLimitBytes,
        log,
      })
    : () => false;
  const listener: RequestListener = (req, res) => {
    let handled: Promise<void>;
    if (req.url?.startsWith("/trpc/")) handled = relay(req, res);
    else if (readRoute(req, res)) return;
    else handled = honoListener(req, res);
    handled.catch((error: unknown) => {
      log.error({ err: error, path: req.url }, "request failed");
      if (!res.headersSent) answerPlainError(res, 500, { message: "Internal server error" });
      else res.destroy();
    });
  };

  return {
    app,
    listener,
    close: async () => {
      await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
    },
  };
}
