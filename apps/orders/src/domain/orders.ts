import type { Caller } from "@shop/auth-kit";
import { AppError, type JsonText } from "@shop/kit";
import { and, eq } from "drizzle-orm";
import { type OrdersDb, orderItems, orders } from "../db/index.js";
import { productsById } from "./catalog.js";
import { decodeCursor } from "./cursor.js";
import { recordHistory } from "./history.js";
import {
  loadOrder,
  NO_CURSOR,
  type Order,
  type OrderPage,
  type OrderReads,
  readOrderPage,
} from "./order-view.js";
import { uniqueViolation } from "./payment-store.js";

/** Someone else's order reads as absent: its existence is not revealed. */
export const ORDER_NOT_FOUND = "Order not found";

/** The quantity of each product, the same product twice added up. */
function quantitiesOf(lines: ReadonlyArray<{ productId: number; quantity: number }>) {
  const quantities = new Map<number, number>();
  for (const line of lines) {
    quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  }
  return quantities;
}

/**
 * The order the caller already placed with this key: the same one again, or
 * CONFLICT if the key came with other items.
 */
async function placedWith(
  db: OrdersDb,
  reads: OrderReads,
  caller: Caller,
  key: string,
  quantities: Map<number, number>,
): Promise<Order | null> {
  const [placed] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.userId, caller.id), eq(orders.idempotencyKey, key)));
  if (!placed) return null;
  const order = (await loadOrder(reads, placed.id))!;
  const same =
    order.items.length === quantities.size &&
    order.items.every((item) => quantities.get(item.productId) === item.quantity);
  if (!same) {
    throw new AppError("CONFLICT", "This idempotency key was already used for another order");
  }
  return order;
}

/**
 * Places an order. Prices come from the catalog only; the same product twice
 * becomes one line with the quantities added. With a key, a retry (after a
 * lost answer, a second press) answers the order the key placed, once.
 */
export async function createOrder(
  db: OrdersDb,
  reads: OrderReads,
  caller: Caller,
  lines: Array<{ productId: number; quantity: number }>,
  key?: string,
): Promise<Order> {
  const quantities = quantitiesOf(lines);
  if (key !== undefined) {
    const placed = await placedWith(db, reads, caller, key, quantities);
    if (placed) return placed;
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

  const place = () =>
    db.transaction(async (tx) => {
      const [order] = await tx
        .insert(orders)
        .values({
          userId: caller.id,
          status: "pending",
          totalCents,
          itemsJson: JSON.stringify(items satisfies Order["items"]),
          createdAt: now,
          updatedAt: now,
          idempotencyKey: key ?? null,
        })
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
  let orderId: number;
  try {
    orderId = await place();
  } catch (error) {
    // The same key racing itself: the other request placed it.
    if (key === undefined || !uniqueViolation(error)) throw error;
    return (await placedWith(db, reads, caller, key, quantities))!;
  }
  return (await loadOrder(reads, orderId))!;
}

/** An order its owner or an admin may see; NOT_FOUND for anyone else. */
export async function getVisibleOrder(
  reads: OrderReads,
  caller: Caller,
  id: number,
): Promise<Order> {
  const order = await loadOrder(reads, id);
  if (!order || (order.userId !== caller.id && caller.role !== "admin")) {
    throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  }
  return order;
}

/** Orders newest first: the caller's, or everyone's for an admin asking for `all`. */
export async function listOrders(
  reads: OrderReads,
  caller: Caller,
  options: { limit: number; cursor?: string; scope: "mine" | "all" },
): Promise<JsonText<OrderPage>> {
  if (options.scope === "all" && caller.role !== "admin") {
    throw new AppError("FORBIDDEN", "Only an administrator can list every order");
  }
  return readOrderPage(reads, {
    userId: options.scope === "mine" ? caller.id : undefined,
    before: options.cursor ? decodeCursor(options.cursor) : NO_CURSOR,
    limit: options.limit,
  });
}
