import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "./logger.js";
import { accessLog, requestContext, type ServiceEnv, securityHeaders } from "./middleware.js";
import { errorCode } from "./startup.js";

/**
 * A handler that answers on the raw node:http request, below Hono. It decides
 * synchronously: true when it took the request (and answers it), false to
 * leave it to the next one and finally to Hono.
 */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * A service's Hono app, and the hot paths answered below it (see
 * {@link listen}): Hono builds a fetch Request, a context and a Response for
 * every request, which costs more than a small read itself.
 */
export class ServiceApp extends Hono<ServiceEnv> {
  /** Tried in order before Hono, on every request. */
  readonly nodeRoutes: NodeRoute[] = [];

  constructor(
    /** The process's logger; each request gets a child of it. */
    readonly log: Logger,
    /** Largest accepted request body, in bytes. */
    readonly bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES,
  ) {
    super();
  }
}

const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

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
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = new ServiceApp(options.log, options.bodyLimitBytes);
  app.use(requestContext(options.log));
  app.use(accessLog());
  app.use(securityHeaders());
  const limitBody = bodyLimit({
    maxSize: app.bodyLimitBytes,
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

/** What {@link listen} serves: a fetch handler, and optionally routes answered below it. */
export interface Servable {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  nodeRoutes?: readonly NodeRoute[];
}

// Hono's node:http listener, behind the app's node routes when it has any.
function withNodeRoutes(routes: readonly NodeRoute[]) {
  return (options: object, hono: RequestListener) =>
    createServer(
      options,
      routes.length === 0
        ? hono
        : (req, res) => {
            for (const route of routes) if (route(req, res)) return;
            hono(req, res);
          },
    );
}

/** Starts `app` on host:port (0 picks a free port) with sane socket timeouts. */
export async function listen(
  app: Servable,
  options: { port: number; host?: string },
): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: host,
    createServer: withNodeRoutes(app.nodeRoutes ?? []) as typeof createServer,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
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
 * Why a server could not listen, in words a person starting it can act on:
 * a port in use or not allowed gets its own sentence, anything else the error.
 */
export function listenFailure(error: unknown, host: string, port: number): string {
  const code = errorCode(error);
  if (code === "EADDRINUSE") {
    return `port ${port} on ${host} is already in use: stop what holds it (another \`npm start\` still running?)`;
  }
  if (code === "EACCES")
    return `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges)`;
  if (code === "EADDRNOTAVAIL") return `${host} is not an address of this machine: check HOST`;
  return `cannot listen on ${host}:${port}: ${(error as Error)?.message ?? String(error)}`;
}

/** What {@link runService} starts: an app for {@link listen}, or a listener of its own. */
export type ServiceTarget =
  | { app: Servable }
  | { start: (address: { port: number; host: string }) => Promise<RunningServer> };

/**
 * Runs a service until SIGINT/SIGTERM: listens, logs where, and on a signal
 * stops accepting, finishes what is in flight, then runs `onShutdown`.
 */
export async function runService(
  options: ServiceTarget & {
    port: number;
    host: string;
    log: Logger;
    onShutdown?: () => Promise<void> | void;
  },
): Promise<RunningServer> {
  const { log } = options;
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception, exiting");
    process.exit(1);
  });
  let running: RunningServer;
  try {
    const address = { port: options.port, host: options.host };
    running = await ("app" in options ? listen(options.app, address) : options.start(address));
  } catch (error) {
    log.fatal(listenFailure(error, options.host, options.port));
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
