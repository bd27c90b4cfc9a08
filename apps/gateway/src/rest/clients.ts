import type { AuthRouter } from "@shop/auth/router";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import {
  createTRPCClient,
  type HTTPHeaders,
  httpLink,
  type TRPCClient,
  type TRPCLink,
} from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import type { Upstream } from "../upstream/upstream.js";

/** Headers a REST call passes on to the service: the caller's token, request id, address. */
export type ForwardHeaders = Record<string, string>;

/** Options of one typed call: the per-request headers ride in the operation context. */
export function forward(headers: ForwardHeaders) {
  return { context: { forward: headers } };
}

// httpLink needs a base URL; the host is never used, as the adapter below
// sends every call through the upstream's balanced keep-alive pools.
const BASE = "http://upstream";

/**
 * A fetch for @trpc/client that goes through the upstream's pools (replicas,
 * timeouts, 503/504 as UpstreamError) instead of a fresh connection per call.
 */
function upstreamFetch(upstream: Upstream) {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const response = await upstream.send({
      method: init?.method === "POST" ? "POST" : "GET",
      path: url.pathname + url.search,
      headers: init?.headers as Record<string, string> | undefined,
      body: typeof init?.body === "string" ? init.body : undefined,
    });
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      headers: new Headers(),
      json: async () => JSON.parse(response.body) as unknown,
    };
  };
}

function client<TRouter extends AnyRouter>(
  upstream: Upstream,
  service: string,
): TRPCClient<TRouter> {
  const link = httpLink({
    url: `${BASE}/trpc/${service}`,
    fetch: upstreamFetch(upstream),
    headers: ({ op }) => (op.context.forward ?? {}) as HTTPHeaders,
  });
  return createTRPCClient<TRouter>({ links: [link as TRPCLink<TRouter>] });
}

/** Typed clients of the services, made once at start-up. */
export interface ServiceClients {
  auth: TRPCClient<AuthRouter>;
  users: TRPCClient<UsersRouter>;
  orders: TRPCClient<OrdersRouter>;
}

export function createServiceClients(upstreams: {
  auth: Upstream;
  users: Upstream;
  orders: Upstream;
}): ServiceClients {
  return {
    auth: client<AuthRouter>(upstreams.auth, "auth"),
    users: client<UsersRouter>(upstreams.users, "users"),
    orders: client<OrdersRouter>(upstreams.orders, "orders"),
  };
}
