import type { AuthRouter } from "@shop/auth/router";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import type { TRPCBuiltRouter } from "@trpc/server";

/** The root types every service shares (one tRPC init, one error formatter). */
type RootTypes = OrdersRouter["_def"]["_config"]["$types"];

/**
 * The whole typed surface the browser sees, one branch per service, merged
 * from router *types* only: nothing of a service's runtime reaches a client.
 * `orders.list` is the orders service's `list`, served at `/trpc/orders/list`.
 */
export type AppRouter = TRPCBuiltRouter<
  RootTypes,
  {
    auth: AuthRouter["_def"]["record"];
    users: UsersRouter["_def"]["record"];
    orders: OrdersRouter["_def"]["record"];
  }
>;

/** The services a client can call, each the first segment of a procedure path. */
export const SERVICES = ["auth", "users", "orders"] as const;

/** One of {@link SERVICES}. */
export type ServiceName = (typeof SERVICES)[number];
