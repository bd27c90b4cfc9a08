import { and, asc, eq, inArray } from "drizzle-orm";
import { type OrderRow, type OrdersDb, orderItems, orders, payments } from "../db/index.js";

/** The order columns every reader selects. */
export const orderColumns = {
  id: orders.id,
  userId: orders.userId,
  status: orders.status,
  totalCents: orders.totalCents,
  currency: orders.currency,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};
export type OrderHead = Pick<OrderRow, keyof typeof orderColumns>;

const iso = (ms: number) => new Date(ms).toISOString();

/** Attaches line items and the successful payment to orders, in two queries. */
export async function toOrders(db: OrdersDb, heads: OrderHead[]) {
  if (heads.length === 0) return [];
  const ids = heads.map((o) => o.id);
  const items = await db
    .select({
      orderId: orderItems.orderId,
      productId: orderItems.productId,
      productName: orderItems.productName,
      quantity: orderItems.quantity,
      unitPriceCents: orderItems.unitPriceCents,
      lineTotalCents: orderItems.lineTotalCents,
    })
    .from(orderItems)
    .where(inArray(orderItems.orderId, ids))
    .orderBy(asc(orderItems.id));
  const paid = await db
    .select({
      orderId: payments.orderId,
      transactionId: payments.transactionId,
      bank: payments.bank,
      amountCents: payments.amountCents,
      paidAt: payments.paidAt,
    })
    .from(payments)
    .where(and(inArray(payments.orderId, ids), eq(payments.status, "succeeded")));

  return heads.map((head) => {
    const payment = paid.find((p) => p.orderId === head.id);
    return {
      id: head.id,
      userId: head.userId,
      status: head.status,
      totalCents: head.totalCents,
      currency: "EUR" as const,
      items: items
        .filter((item) => item.orderId === head.id)
        .map(({ orderId: _, ...item }) => item),
      payment: payment
        ? {
            transactionId: payment.transactionId!,
            bank: payment.bank!,
            amountCents: payment.amountCents,
            paidAt: iso(payment.paidAt!),
          }
        : null,
      createdAt: iso(head.createdAt),
      updatedAt: iso(head.updatedAt),
    };
  });
}
export type Order = Awaited<ReturnType<typeof toOrders>>[number];

/** An order head by id, whoever owns it. */
export async function findOrderHead(db: OrdersDb, id: number): Promise<OrderHead | undefined> {
  const [head] = await db.select(orderColumns).from(orders).where(eq(orders.id, id));
  return head;
}

/** The full order, or undefined. */
export async function loadOrder(db: OrdersDb, id: number): Promise<Order | undefined> {
  const head = await findOrderHead(db, id);
  return head ? (await toOrders(db, [head]))[0] : undefined;
}
