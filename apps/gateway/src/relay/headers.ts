import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { appendForwardedFor, TIMEOUT_HEADER } from "@shop/kit";

// Hop-by-hop headers (RFC 9110 §7.6.1) and headers the gateway sets itself.
// Identity and forwarding headers from the outside are never passed on.
const DROPPED_REQUEST_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "expect",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "x-request-id",
  TIMEOUT_HEADER,
]);

const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Tokens of a `Connection` header other than the usual ones: more hop-by-hop headers. */
function connectionTokens(value: string | undefined): Set<string> | null {
  if (!value) return null;
  const tokens = new Set<string>();
  for (const token of value.split(",")) {
    const name = token.trim().toLowerCase();
    if (name && name !== "keep-alive" && name !== "close") tokens.add(name);
  }
  return tokens.size > 0 ? tokens : null;
}

/**
 * The headers sent to a service, as a flat [name, value, ...] list: the
 * caller's, minus hop-by-hop, forwarding and `x-user-*` headers, plus the
 * request id, the forwarded-for chain and how long the gateway will wait
 * (`x-timeout-ms`).
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  connection: string | undefined,
  requestId: string,
  forwardedFor: string,
  timeoutMs: number,
): string[] {
  const extra = connectionTokens(connection);
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || lower.startsWith("x-user-")) continue;
    if (extra?.has(lower)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  out.push("x-request-id", requestId, "x-forwarded-for", forwardedFor);
  // How long the gateway will wait (the caller's own value is dropped above).
  out.push(TIMEOUT_HEADER, String(timeoutMs));
  return out;
}

/** A service's response headers minus hop-by-hop ones, then the gateway's own on top. */
export function downstreamResponseHeaders(
  upstream: IncomingHttpHeaders,
  own: readonly Readonly<Record<string, string>>[],
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) out[name] = upstream[name];
  }
  for (const headers of own) Object.assign(out, headers);
  return out;
}

/**
 * The `x-forwarded-for` chain passed on: the caller's own chain is kept only
 * when the direct peer is a trusted proxy, capped to its right end; the peer's
 * address is appended.
 */
export function forwardedFor(
  peer: string,
  incoming: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string {
  if (typeof incoming !== "string" || !trustedProxies.has(peer)) return peer;
  return appendForwardedFor(incoming, peer);
}
