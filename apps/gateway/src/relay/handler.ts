import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AccessVerifier, bearerToken, TokenError } from "@shop/auth-kit";
import {
  clientAddress,
  elapsedMs,
  type Logger,
  logAccess,
  peerAddress,
  requestIdFrom,
  SECURITY_HEADERS,
} from "@shop/kit";
import { type AuthLimits, takeAuthBudget } from "../edge/auth-limits.js";
import type { CorsPolicy } from "../edge/cors.js";
import { writeJson } from "../edge/json-answer.js";
import { INVALID_TOKEN_CHALLENGE, INVALID_TOKEN_MESSAGE } from "../http-errors.js";
import { classifyUpstreamError, isConnectError, UpstreamError } from "../upstream/errors.js";
import type { ReplicaSet } from "../upstream/replicas.js";
import { BodyTooLargeError, limitedBody } from "./body-limit.js";
import { downstreamResponseHeaders, forwardedFor, upstreamRequestHeaders } from "./headers.js";
import { parseRelayPath, type RelayedService } from "./route.js";
import { trpcErrorBody } from "./trpc-error.js";

/** Everything the relay needs, built once at start-up. */
export interface RelayDeps {
  replicas: Record<RelayedService, ReplicaSet>;
  verifier: AccessVerifier;
  limits: AuthLimits;
  cors: CorsPolicy;
  trustedProxies: ReadonlySet<string>;
  bodyLimitBytes: number;
  timeoutMs: number;
  maxBatchSize: number;
  log: Logger;
}

/**
 * Aborts the upstream call when the client leaves before its answer is
 * written. undici takes an EventEmitter as a signal: one per request costs a
 * fraction of an AbortController, which builds an EventTarget and, when
 * aborted, a DOMException with a stack.
 */
class ClientGone extends EventEmitter {
  aborted = false;
  abort(): void {
    this.aborted = true;
    this.emit("abort");
  }
}

/** The tRPC fast path: a node:http handler for `/trpc/*` below Hono. */
export type RelayHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const NO_HEADERS: Readonly<Record<string, string>> = {};
const UNAUTHORIZED_HEADERS = { "www-authenticate": 'Bearer realm="shop"' };
const INVALID_TOKEN_HEADERS = { "www-authenticate": INVALID_TOKEN_CHALLENGE };

/**
 * Relays `/trpc/{auth,users,orders}/*` to the owning service without
 * re-encoding: checks the path, the rate budget of login/refresh and the access
 * token (cached until it expires), then pipes the request and response bodies
 * through a keep-alive pool. Services verify the token again themselves.
 */
export function createRelayHandler(deps: RelayDeps): RelayHandler {
  const { log, cors } = deps;

  return async function relay(req, res) {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const method = req.method ?? "GET";
    const corsHeaders = cors.responseHeaders(req.headers.origin) ?? NO_HEADERS;
    const fail = (status: number, message: string, extra?: Record<string, string>, data?: object) =>
      writeJson(
        res,
        status,
        trpcErrorBody(status, message, data),
        requestId,
        corsHeaders,
        extra ?? NO_HEADERS,
      );
    res.once("close", () => {
      const status = res.writableFinished ? res.statusCode : 499;
      logAccess(log, { reqId: requestId, method, path: pathname, status, ms: elapsedMs(started) });
    });

    if (method === "OPTIONS") {
      const preflight = cors.preflightHeaders(req.headers.origin);
      res.writeHead(204, { ...SECURITY_HEADERS, ...preflight, "x-request-id": requestId }).end();
      return;
    }
    const route = parseRelayPath(pathname);
    if (!route) return fail(404, "Not found");
    if (method !== "GET" && method !== "POST") {
      return fail(405, "Method not allowed", { allow: "GET, POST" });
    }
    if (route.calls > deps.maxBatchSize) {
      return fail(400, `A batch may carry at most ${deps.maxBatchSize} calls`);
    }
    const declaredLength = Number(req.headers["content-length"] ?? 0);
    if (declaredLength > deps.bodyLimitBytes) {
      return fail(413, "Request body too large", { connection: "close" });
    }

    const peer = peerAddress(req.socket.remoteAddress);
    if (route.logins > 0 || route.refreshes > 0) {
      const address = clientAddress(
        peer,
        req.headers["x-forwarded-for"] as string | undefined,
        deps.trustedProxies,
      );
      const decision = takeAuthBudget(deps.limits, address, route.logins, route.refreshes);
      if (!decision.allowed) {
        return fail(
          429,
          "Too many attempts, try again later",
          { "retry-after": String(decision.retryAfterS) },
          { retryAfterSeconds: decision.retryAfterS },
        );
      }
    }

    if (!route.isPublic) {
      const token = bearerToken(req.headers.authorization);
      if (!token) return fail(401, "Authentication required", UNAUTHORIZED_HEADERS);
      try {
        await deps.verifier.verify(token);
      } catch (error) {
        if (error instanceof TokenError && error.reason === "key_unavailable") {
          return fail(503, "Signing keys are unavailable, try again shortly");
        }
        const reason = error instanceof TokenError ? error.reason : "invalid";
        log.info({ reqId: requestId, reason }, "access token refused");
        return fail(401, INVALID_TOKEN_MESSAGE, INVALID_TOKEN_HEADERS);
      }
    }

    const replicas = deps.replicas[route.service];
    const clientGone = new ClientGone();
    res.once("close", () => {
      if (!res.writableFinished) clientGone.abort();
    });
    const headers = upstreamRequestHeaders(
      req.rawHeaders,
      req.headers.connection,
      requestId,
      forwardedFor(peer, req.headers["x-forwarded-for"], deps.trustedProxies),
      deps.timeoutMs,
    );
    // A GET carries no body, so when a replica refuses the connection the call
    // can go to the next one; a streamed POST body cannot be replayed.
    let attemptsLeft = method === "GET" ? replicas.replicas.length - 1 : 0;
    for (;;) {
      const replica = replicas.pick();
      try {
        await replica.pool.stream(
          {
            path: url,
            method,
            headers,
            body: method === "POST" ? limitedBody(req, deps.bodyLimitBytes) : null,
            headersTimeout: deps.timeoutMs,
            bodyTimeout: deps.timeoutMs,
            signal: clientGone,
          },
          ({ statusCode, headers: upstreamHeaders }) => {
            res.writeHead(
              statusCode,
              downstreamResponseHeaders(upstreamHeaders, [
                SECURITY_HEADERS,
                corsHeaders,
                { "x-request-id": requestId },
              ]),
            );
            return res;
          },
        );
        replicas.restore(replica);
        return;
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (
          error instanceof BodyTooLargeError ||
          (error as Error)?.cause instanceof BodyTooLargeError
        ) {
          return fail(413, "Request body too large", { connection: "close" });
        }
        const failure = classifyUpstreamError(error);
        if (failure === null || clientGone.aborted) return;
        replicas.eject(replica);
        if (attemptsLeft-- > 0 && isConnectError(error)) continue;
        const upstream = new UpstreamError(route.service, failure, { cause: error });
        log.warn({ reqId: requestId, err: error, replica: replica.origin }, upstream.message);
        return fail(upstream.status, upstream.message);
      }
    }
  };
}
