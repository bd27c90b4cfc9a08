import type { IncomingMessage } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type AccessVerifier, bearerToken, type Caller, TokenError } from "@shop/auth-kit";
import {
  AppError,
  clientAddress,
  decodeBodyText,
  peerAddress,
  readRequestBody,
  type ServiceVariables,
} from "@shop/kit";
import type { Context, MiddlewareHandler } from "hono";
import { InvalidTokenError } from "../http-errors.js";
import { forwardedFor } from "../relay/headers.js";
import type { ForwardHeaders } from "./clients.js";
import { pathIdOf } from "./fields.js";

/** What REST handlers find on the context. */
export interface RestVariables extends ServiceVariables {
  /** Headers every call made for this request passes on. */
  forward: ForwardHeaders;
  /** The client's address, for rate limits. */
  clientAddress: string;
  /** The verified caller, on protected routes. */
  caller: Caller;
  /** Largest JSON body {@link jsonBody} reads. */
  bodyLimitBytes: number;
}
export type RestEnv = { Variables: RestVariables };

/**
 * Prepares what calls to services carry: the request id, the forwarded-for
 * chain (an incoming one believed only from a trusted proxy) and the user
 * agent; and the body limit {@link jsonBody} applies.
 */
export function forwarding(
  trustedProxies: ReadonlySet<string>,
  bodyLimitBytes: number,
): MiddlewareHandler<RestEnv> {
  return async function forwardingMiddleware(c, next) {
    const peer = peerAddress(getConnInfo(c).remote.address);
    const incoming = c.req.header("x-forwarded-for");
    const headers: ForwardHeaders = {
      "x-request-id": c.get("requestId"),
      "x-forwarded-for": forwardedFor(peer, incoming, trustedProxies),
    };
    const userAgent = c.req.header("user-agent");
    if (userAgent) headers["user-agent"] = userAgent.slice(0, 256);
    c.set("forward", headers);
    c.set("clientAddress", clientAddress(peer, incoming, trustedProxies));
    c.set("bodyLimitBytes", bodyLimitBytes);
    await next();
  };
}

/**
 * The caller of a request with `Authorization: Bearer <token>`, its token
 * verified (cached): 401 without a valid one (the same message whatever check
 * failed), 503 while the signing keys are unavailable. The REST routes' one token check, on Hono and below it.
 */
export async function verifiedCaller(
  verifier: AccessVerifier,
  authorization: string | null | undefined,
): Promise<{ caller: Caller; token: string }> {
  const token = bearerToken(authorization);
  if (!token) throw new AppError("UNAUTHORIZED", "Authentication required");
  try {
    return { caller: await verifier.verify(token), token };
  } catch (error) {
    if (error instanceof TokenError && error.reason === "key_unavailable") {
      throw new AppError("SERVICE_UNAVAILABLE", "Signing keys are unavailable, try again shortly");
    }
    throw new InvalidTokenError(error instanceof TokenError ? error.reason : "invalid", error);
  }
}

/**
 * Protected routes: a valid access token, verified here (cached) before any
 * service is called, then passed on so the service verifies it too.
 */
export function requireCaller(verifier: AccessVerifier): MiddlewareHandler<RestEnv> {
  return async function requireCallerMiddleware(c, next) {
    const { caller, token } = await verifiedCaller(verifier, c.req.header("authorization"));
    c.set("caller", caller);
    c.set("forward", { ...c.get("forward"), authorization: `Bearer ${token}` });
    await next();
  };
}

const NOT_AN_OBJECT = "Request body must be a JSON object";

/**
 * Reads a JSON object body: 400 when it is missing, not JSON or not an object,
 * 413 past the body limit. It is read from the node:http request itself, and
 * decoded as fetch's `Request.json()` would, without the fetch Request and web
 * stream Hono builds for `c.req.json()`.
 */
export async function jsonBody(c: Context<RestEnv>): Promise<Record<string, unknown>> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let text: string;
  if (incoming) {
    const read = await readRequestBody(incoming, c.get("bodyLimitBytes"));
    if ("tooLarge" in read) throw new AppError("PAYLOAD_TOO_LARGE", "Request body too large");
    if ("gone" in read) throw new AppError("BAD_REQUEST", NOT_AN_OBJECT);
    text = decodeBodyText(read.bytes);
  } else {
    // Not under node:http (Hono's app.request in a script): fetch's own reader.
    text = await c.req.text();
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", NOT_AN_OBJECT);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("BAD_REQUEST", NOT_AN_OBJECT);
  }
  return body as Record<string, unknown>;
}

/** A path id: a positive integer, else the route does not exist (as in the seed). */
export function pathId(c: Context, name = "id"): number {
  return pathIdOf(c.req.param(name));
}
