import type { Caller } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import { and, count, desc, eq, lt } from "drizzle-orm";
import { type OrdersDb, orderItems, orders } from "../db/index.js";
import { productsById } from "./catalog.js";
import { decodeCursor, nextCursorOf } from "./cursor.js";
import { recordHistory } from "./history.js";
import { findOrderHead, loadOrder, type Order, orderColumns, toOrders } from "./order-view.js";

/** Someone else's order reads as absent: its existence is not revealed. */
export const ORDER_NOT_FOUND = "Order not found";

/**
 * Places an order. Prices come from the catalog only; the same product twice
 * becomes one line with the quantities added.
 */
export async function createOrder(
  db: OrdersDb,
  caller: Caller,
  lines: Array<{ productId: number; quantity: number }>,
): Promise<Order> {
  const quantities = new Map<number, number>();
  for (const line of lines) {
    quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  }
  const catalog = await productsById(db, [...quantities.keys()]);
  const items = [...quantities].map(([productId, quantity]) => {
    const product = catalog.get(productId);
    if (!product) {
      throw new AppError("BAD_REQUEST", `Unknown product: ${productId}`, {
        details: { productId },
      });
    }
    if (quantity > 100) throw new AppError("BAD_REQUEST", "At most 100 of one product per order");
    return {
      productId,
      productName: product.name,
      quantity,
      unitPriceCents: product.priceCents,
      lineTotalCents: product.priceCents * quantity,
    };
  });
  const totalCents = items.reduce((sum, item) => sum + item.lineTotalCents, 0);
  const now = Date.now();

  const orderId = await db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({ userId: caller.id, status: "pending", totalCents, createdAt: now, updatedAt: now })
      .returning({ id: orders.id });
    await tx.insert(orderItems).values(items.map((item) => ({ ...item, orderId: order!.id })));
    await recordHistory(tx, {
      actor: caller,
      action: "order_created",
      orderId: order!.id,
      details: {
        totalCents,
        items: items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
      },
    });
    return order!.id;
  });
  return (await loadOrder(db, orderId))!;
}

/** An order its owner or an admin may see; NOT_FOUND for anyone else. */
export async function getVisibleOrder(db: OrdersDb, caller: Caller, id: number): Promise<Order> {
  const head = await findOrderHead(db, id);
  if (!head || (head.userId !== caller.id && caller.role !== "admin")) {
    throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  }
  return (await toOrders(db, [head]))[0]!;
}

/** Orders newest first: the caller's, or everyone's for an admin asking for `all`. */
export async function listOrders(
  db: OrdersDb,
  caller: Caller,
  options: { limit: number; cursor?: string; scope: "mine" | "all" },
) {
  if (options.scope === "all" && caller.role !== "admin") {
    throw new AppError("FORBIDDEN", "Only an administrator can list every order");
  }
  const owner = options.scope === "mine" ? eq(orders.userId, caller.id) : undefined;
  const before = options.cursor ? decodeCursor(options.cursor) : undefined;
  const heads = await db
    .select(orderColumns)
    .from(orders)
    .where(and(owner, before ? lt(orders.id, before) : undefined))
    .orderBy(desc(orders.id))
    .limit(options.limit + 1);
  const [totals] = await db.select({ total: count() }).from(orders).where(owner);
  const { page, nextCursor } = nextCursorOf(heads, options.limit);
  return { orders: await toOrders(db, page), nextCursor, total: totals?.total ?? 0 };
}
