import { count, eq, sum } from "drizzle-orm";
import { ORDER_STATUSES, type OrderStatus, type OrdersDb, orders } from "../db/index.js";

/** Statuses whose order was paid for and not refunded: what "spent" counts. */
const SPENT: readonly OrderStatus[] = ["paid", "processing", "shipped", "delivered"];

/** A user's order count, money spent and orders per status (every status present). */
export async function orderStats(db: OrdersDb, userId: number) {
  const rows = await db
    .select({ status: orders.status, orders: count(), cents: sum(orders.totalCents) })
    .from(orders)
    .where(eq(orders.userId, userId))
    .groupBy(orders.status);
  const ordersByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<
    OrderStatus,
    number
  >;
  let totalOrders = 0;
  let totalSpentCents = 0;
  for (const row of rows) {
    ordersByStatus[row.status] = row.orders;
    totalOrders += row.orders;
    if (SPENT.includes(row.status)) totalSpentCents += Number(row.cents ?? 0);
  }
  return { userId, totalOrders, totalSpentCents, ordersByStatus };
}
