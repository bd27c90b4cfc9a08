import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { getConnInfo } from "@hono/node-server/conninfo";
import { appendForwardedFor, type ServiceEnv } from "@shop/kit";
import type { MiddlewareHandler } from "hono";

/** Options of {@link gatewayProxy}. */
export interface ProxyOptions {
  target: URL;
  /** Longest silence on the upstream socket before the request is given up (504). */
  timeoutMs: number;
}

// Per-connection headers (RFC 9110 §7.6.1) are never forwarded; `host` is the upstream's.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function requestHeaders(source: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  source.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) out[key] = value;
  });
  return out;
}

function responseHeaders(source: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    if (Array.isArray(value)) for (const item of value) out.append(key, item);
    else out.set(key, value);
  }
  return out;
}

function problem(status: number, message: string, requestId: string): Response {
  return new Response(JSON.stringify({ message }), {
    status,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}

/**
 * Forwards the request to the gateway over a keep-alive pool, streaming both
 * bodies. Appends the peer to X-Forwarded-For, capped to its right end (the
 * gateway trusts this hop)
 * and passes the request id, so one id follows a call through every process.
 */
export function gatewayProxy(options: ProxyOptions): MiddlewareHandler<ServiceEnv> {
  const secure = options.target.protocol === "https:";
  const transport = secure ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const hostname = options.target.hostname.replace(/^\[|\]$/g, "");
  const port = options.target.port || (secure ? 443 : 80);

  return async function gatewayProxyHandler(c) {
    const incoming = c.req.raw;
    const url = new URL(incoming.url);
    const headers = requestHeaders(incoming.headers);
    const peer = getConnInfo(c).remote.address ?? "unknown";
    headers["x-forwarded-for"] = appendForwardedFor(incoming.headers.get("x-forwarded-for"), peer);
    headers["x-forwarded-proto"] = url.protocol.slice(0, -1);
    headers["x-forwarded-host"] = incoming.headers.get("host") ?? url.host;
    headers["x-request-id"] = c.var.requestId;

    return new Promise<Response>((resolve) => {
      const upstream = transport.request({
        hostname,
        port,
        method: incoming.method,
        path: `${url.pathname}${url.search}`,
        headers,
        agent,
      });
      let answered = false;
      const fail = (status: number, message: string) => {
        if (answered) return;
        answered = true;
        c.var.log.warn({ event: "upstream_failed", status }, message);
        resolve(problem(status, message, c.var.requestId));
      };
      upstream.setTimeout(options.timeoutMs, () => {
        fail(504, "The gateway took too long to answer");
        upstream.destroy();
      });
      upstream.on("error", () => fail(502, "The gateway is unreachable"));
      upstream.on("response", (response) => {
        answered = true;
        const status = response.statusCode ?? 502;
        const empty = incoming.method === "HEAD" || status === 204 || status === 304;
        if (empty) response.resume();
        const body = empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
        const headers = responseHeaders(response.headers);
        if (!headers.has("x-request-id")) headers.set("x-request-id", c.var.requestId);
        resolve(new Response(body, { status, headers }));
      });
      // A browser that goes away should not leave the gateway working for nobody.
      incoming.signal.addEventListener("abort", () => upstream.destroy(), { once: true });

      if (incoming.body && incoming.method !== "GET" && incoming.method !== "HEAD") {
        Readable.fromWeb(incoming.body as import("node:stream/web").ReadableStream).pipe(upstream);
      } else {
        upstream.end();
      }
    });
  };
}
