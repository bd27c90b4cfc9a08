import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "./logger.js";
import { accessLog, requestContext, type ServiceEnv } from "./middleware.js";

/** Options of {@link createServiceApp}. */
export interface ServiceAppOptions {
  /** Service name, as `/health` reports it. */
  service: string;
  /** The configured port, as `/health` reports it. */
  port: number;
  log: Logger;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes?: number;
  /** Throws when the service cannot serve (for example its database is gone). */
  healthCheck?: () => Promise<unknown>;
}

/**
 * A Hono app with what every service needs before its own routes: request id,
 * access log, security headers, body limit, `/health`, JSON 404 and JSON errors
 * that never carry a stack.
 */
export function createServiceApp(options: ServiceAppOptions): Hono<ServiceEnv> {
  const app = new Hono<ServiceEnv>();
  app.use(requestContext(options.log));
  app.use(accessLog());
  app.use(secureHeaders({ crossOriginResourcePolicy: "same-site" }));
  const limitBody = bodyLimit({
    maxSize: options.bodyLimitBytes ?? 64 * 1024,
    // The rest of the body is never read: close the connection rather than
    // leave the client a keep-alive socket the server is about to drop.
    onError: (c) => c.json({ message: "Request body too large" }, 413, { connection: "close" }),
  });
  // No route reads the body of a GET or HEAD, so there is nothing to limit;
  // asking for it would build a whole fetch Request for every read.
  app.use((c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next),
  );

  app.get("/health", async (c) => {
    const body = { status: "healthy", service: options.service, port: options.port };
    try {
      await options.healthCheck?.();
      return c.json(body);
    } catch (error) {
      c.var.log.error({ err: error }, "health check failed");
      return c.json({ ...body, status: "unhealthy" }, 503);
    }
  });

  app.notFound((c) => c.json({ message: "Not found" }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ message: error.message || "Request failed" }, error.status);
    }
    (c.var.log ?? options.log).error({ err: error }, "unhandled error");
    return c.json({ message: "Internal server error", request_id: c.var.requestId }, 500);
  });
  return app;
}

/** A listening server and how to stop it. */
export interface RunningServer {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts `app` on host:port (0 picks a free port) with sane socket timeouts. */
export async function listen(
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> },
  options: { port: number; host?: string },
): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: host }) as Server;
    s.once("listening", () => resolve(s));
    s.once("error", reject);
  });
  // Idle keep-alive sockets outlive the gateway's pool idle time (so the pool
  // never writes to a socket the server just closed); slow clients are cut off.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 31_000;
  server.requestTimeout = 30_000;
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}

/**
 * Runs a service until SIGINT/SIGTERM: listens, logs where, and on a signal
 * stops accepting, finishes what is in flight, then runs `onShutdown`.
 */
export async function runService(options: {
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> };
  port: number;
  host: string;
  log: Logger;
  onShutdown?: () => Promise<void> | void;
}): Promise<RunningServer> {
  const { log } = options;
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception, exiting");
    process.exit(1);
  });
  let running: RunningServer;
  try {
    running = await listen(options.app, { port: options.port, host: options.host });
  } catch (error) {
    log.fatal({ err: error }, `cannot listen on ${options.host}:${options.port}`);
    process.exit(1);
  }
  log.info(`listening on ${running.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await running.close();
    await options.onShutdown?.();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return running;
}
