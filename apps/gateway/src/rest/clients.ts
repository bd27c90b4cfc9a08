import type { AuthRouter } from "@shop/auth/router";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import type { TRPCClient } from "@trpc/client";
import type { Upstream } from "../upstream/upstream.js";
import { type ForwardHeaders, upstreamClient } from "./upstream-client.js";

export type { ForwardHeaders } from "./upstream-client.js";

/** Options of one typed call: the per-request headers ride in the operation context. */
export function forward(headers: ForwardHeaders) {
  return { context: { forward: headers } };
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
    auth: upstreamClient<AuthRouter>(upstreams.auth, "/trpc/auth"),
    users: upstreamClient<UsersRouter>(upstreams.users, "/trpc/users"),
    orders: upstreamClient<OrdersRouter>(upstreams.orders, "/trpc/orders"),
  };
}
