import type { AuthRouter } from "@shop/auth/router";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import { createTRPCClient, type TRPCClient } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import type { Upstream } from "../upstream/upstream.js";
import { type ForwardHeaders, upstreamLink } from "./upstream-link.js";

export type { ForwardHeaders } from "./upstream-link.js";

/** Options of one typed call: the per-request headers ride in the operation context. */
export function forward(headers: ForwardHeaders) {
  return { context: { forward: headers } };
}

function client<TRouter extends AnyRouter>(
  upstream: Upstream,
  service: string,
): TRPCClient<TRouter> {
  return createTRPCClient<TRouter>({
    links: [upstreamLink<TRouter>(upstream, `/trpc/${service}`)],
  });
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
