import type { AuthRouter } from "@shop/auth/router";
import { wireCall, wireClient } from "@shop/kit";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import type { TRPCClient } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import type { Upstream } from "../upstream/upstream.js";

/** Headers a REST call passes on to the service: the caller's token, request id, address. */
export type ForwardHeaders = Record<string, string>;

/** Options of one typed call: the per-request headers ride in the operation context. */
export function forward(headers: ForwardHeaders) {
  return wireCall(headers);
}

/** A typed client of one service over the upstream's balanced keep-alive pools. */
function upstreamClient<TRouter extends AnyRouter>(
  upstream: Upstream,
  endpoint: string,
): TRPCClient<TRouter> {
  return wireClient<TRouter>((request) => upstream.send(request), endpoint);
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
