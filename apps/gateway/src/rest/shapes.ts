import type { AuthRouter } from "@shop/auth/router";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import type { inferRouterOutputs } from "@trpc/server";

type AuthOutputs = inferRouterOutputs<AuthRouter>;
type UsersOutputs = inferRouterOutputs<UsersRouter>;
type OrdersOutputs = inferRouterOutputs<OrdersRouter>;

export type ServiceUser = UsersOutputs["me"];
export type ServiceOrder = OrdersOutputs["byId"];
export type TokenPairOutput = AuthOutputs["refresh"];

const euros = (cents: number) => cents / 100;

/** A REST user: never a password, hash or internal flag. */
export function restUser(
  user: Pick<ServiceUser, "id" | "username" | "email" | "role" | "createdAt">,
) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    created_at: user.createdAt,
  };
}

/** The token fields of login and refresh answers (the refresh token in the body: no cookie here). */
export function restTokens(pair: TokenPairOutput) {
  return {
    access_token: pair.accessToken,
    access_expires_at: pair.accessExpiresAt,
    refresh_token: pair.refreshToken,
    refresh_expires_at: pair.refreshExpiresAt,
    token_type: pair.tokenType,
  };
}

/**
 * A REST order, one product line as in the seed. An order made over tRPC with
 * several lines shows their names joined and their quantities summed; `price`
 * is then the first line's unit price.
 */
export function restOrder(order: ServiceOrder) {
  const [first] = order.items;
  return {
    id: order.id,
    user_id: order.userId,
    product_name: order.items.map((item) => item.productName).join(", "),
    quantity: order.items.reduce((sum, item) => sum + item.quantity, 0),
    price: euros(first?.unitPriceCents ?? 0),
    total: euros(order.totalCents),
    status: order.status,
    created_at: order.createdAt,
    price_cents: first?.unitPriceCents ?? 0,
    total_cents: order.totalCents,
  };
}

export function restProduct(product: OrdersOutputs["products"]["products"][number]) {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: euros(product.priceCents),
    price_cents: product.priceCents,
  };
}

export function restHistoryEntry(entry: OrdersOutputs["history"]["history"][number]) {
  return {
    id: entry.id,
    user_id: entry.userId,
    username: entry.username,
    action: entry.action,
    details: entry.details,
    timestamp: entry.createdAt,
  };
}

export function restStats(stats: OrdersOutputs["stats"]) {
  return {
    user_id: stats.userId,
    total_orders: stats.totalOrders,
    total_spent: euros(stats.totalSpentCents),
    total_spent_cents: stats.totalSpentCents,
    orders_by_status: stats.ordersByStatus,
  };
}

export function restBreaker(status: OrdersOutputs["breakerStatus"]) {
  return {
    state: status.state,
    failures: status.failures,
    calls: status.calls,
    threshold: status.threshold,
    reset_after_s: status.resetAfterS,
    retry_in_s: status.retryInS,
  };
}
