import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccessVerifier } from "@shop/auth-kit";
import {
  elapsedMs,
  type Logger,
  logAccess,
  peerAddress,
  RequestHeaders,
  requestIdFrom,
} from "@shop/kit";
import type { CorsPolicy } from "../edge/cors.js";
import { writeJson } from "../edge/json-answer.js";
import { errorAnswer } from "../http-errors.js";
import { forwardedFor } from "../relay/headers.js";
import type { ForwardHeaders } from "./clients.js";
import { verifiedCaller } from "./context.js";
import type { RestRead } from "./reads.js";

/** Everything the read route needs, built once at start-up. */
export interface ReadRouteDeps {
  reads: readonly RestRead[];
  verifier: AccessVerifier;
  cors: CorsPolicy;
  trustedProxies: ReadonlySet<string>;
  bodyLimitBytes: number;
  log: Logger;
}

/** Answers a request below Hono and returns true, or returns false to leave it to Hono. */
export type ReadRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

const PREFIX = "/gateway";
const NO_HEADERS: Readonly<Record<string, string>> = {};
// What the route parses as Hono would: plain path segments, and a query of
// plain characters (anything escaped, `+` included, is left to Hono).
const PLAIN_PATH = /^[A-Za-z0-9/_.-]+$/;
const PLAIN_QUERY = /^[A-Za-z0-9_.~=&-]*$/;

/**
 * The REST reads (reads.ts) answered on the raw node:http request, as the
 * relay answers tRPC: no fetch Request, no Hono context, no Response. It does
 * what the Hono app would for them (request id, access-log line, edge
 * headers, the token check of protected routes, the forwarded headers, the
 * REST error format) and answers alike, byte for byte (tested). It declines,
 * synchronously, anything else: other methods and paths, escaped characters,
 * a declared body over the limit.
 */
export function createReadRoute(deps: ReadRouteDeps): ReadRoute {
  const { log, cors } = deps;
  const exact = new Map<string, RestRead>();
  // `/orders/:id` and the like: a prefix, then one segment.
  const withId: Array<{ prefix: string; read: RestRead }> = [];
  for (const read of deps.reads) {
    const at = read.path.indexOf("/:id");
    if (at === -1) exact.set(`${PREFIX}${read.path}`, read);
    else if (at === read.path.length - "/:id".length) {
      withId.push({ prefix: `${PREFIX}${read.path.slice(0, at)}/`, read });
    } else throw new Error(`A read path may end with /:id only: ${read.path}`);
  }

  function match(pathname: string): { read: RestRead; id?: string } | null {
    const read = exact.get(pathname);
    if (read) return { read };
    for (const candidate of withId) {
      if (!pathname.startsWith(candidate.prefix)) continue;
      const id = pathname.slice(candidate.prefix.length);
      if (id !== "" && !id.includes("/")) return { read: candidate.read, id };
    }
    return null;
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    call: { read: RestRead; id?: string; pathname: string; query: URLSearchParams },
  ): Promise<void> {
    const started = performance.now();
    const headers = new RequestHeaders(req.rawHeaders);
    const requestId = requestIdFrom(headers.get("x-request-id"));
    const corsHeaders = cors.responseHeaders(headers.get("origin") ?? undefined) ?? NO_HEADERS;
    const peer = peerAddress(req.socket.remoteAddress);
    const forward: ForwardHeaders = {
      "x-request-id": requestId,
      "x-forwarded-for": forwardedFor(
        peer,
        headers.get("x-forwarded-for") ?? undefined,
        deps.trustedProxies,
      ),
    };
    const userAgent = headers.get("user-agent");
    if (userAgent) forward["user-agent"] = userAgent.slice(0, 256);
    let status = 200;
    let body: string;
    let extra: Readonly<Record<string, string>> = NO_HEADERS;
    try {
      const { token } = await verifiedCaller(deps.verifier, headers.get("authorization"));
      forward.authorization = `Bearer ${token}`;
      const result = await call.read.answer({
        query: (name) => call.query.get(name) ?? undefined,
        id: () => call.id,
        headers: forward,
      });
      body = JSON.stringify(result);
    } catch (error) {
      const failure = errorAnswer(error, log, requestId);
      status = failure.status;
      extra = failure.headers;
      body = JSON.stringify(failure.body);
    }
    if (res.destroyed) return;
    writeJson(res, status, body, requestId, corsHeaders, extra);
    logAccess(log, {
      reqId: requestId,
      method: "GET",
      path: call.pathname,
      status,
      ms: elapsedMs(started),
    });
  }

  return function readRoute(req, res) {
    if (req.method !== "GET") return false;
    const url = req.url ?? "";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const search = queryAt === -1 ? "" : url.slice(queryAt + 1);
    if (!PLAIN_PATH.test(pathname) || !PLAIN_QUERY.test(search)) return false;
    const found = match(pathname);
    if (!found) return false;
    const declared = req.headers["content-length"];
    if (declared !== undefined && !(Number(declared) <= deps.bodyLimitBytes)) return false;
    void answer(req, res, { ...found, pathname, query: new URLSearchParams(search) }).catch(
      (error: unknown) => {
        log.error({ err: error, path: pathname }, "request failed");
        res.destroy();
      },
    );
    return true;
  };
}
