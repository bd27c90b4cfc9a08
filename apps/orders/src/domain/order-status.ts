import type { Caller } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import { and, eq, inArray } from "drizzle-orm";
import { type OrderStatus, type OrdersDb, orders, payments } from "../db/index.js";
import { type HistoryEntry, recordHistory } from "./history.js";
import { findOrderHead, loadOrder, type Order, type OrderReads } from "./order-view.js";
import { ORDER_NOT_FOUND } from "./orders.js";
import type { RefundSweeper } from "./refunds.js";

/** The state machine: pending → paid → processing → shipped → delivered; pending | paid → cancelled. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["processing", "cancelled"],
  processing: ["shipped"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Who may do what: an owner may cancel their own pending order; an admin may
 * make any legal move. A user never learns about someone else's order (404);
 * an owner asking for more than a cancel of a pending order gets 403; an
 * illegal move is 409.
 */
function authorize(
  caller: Caller,
  order: { userId: number; status: OrderStatus },
  to: OrderStatus,
) {
  if (caller.role === "admin") return;
  if (order.userId !== caller.id) throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  if (to !== "cancelled") {
    throw new AppError("FORBIDDEN", "Only an administrator can move an order along");
  }
  if (order.status === "paid") {
    throw new AppError("FORBIDDEN", "Only an administrator can cancel a paid order");
  }
}

/** Moves an order to `to`, atomically (a concurrent change makes this a CONFLICT). */
export async function updateOrderStatus(
  deps: { db: OrdersDb; reads: OrderReads; refunds: Pick<RefundSweeper, "kick"> },
  caller: Caller,
  id: number,
  to: OrderStatus,
): Promise<Order> {
  const { db, reads } = deps;
  const order = await findOrderHead(db, id);
  if (!order) throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  authorize(caller, order, to);
  if (!canTransition(order.status, to)) {
    throw new AppError("CONFLICT", `Cannot move an order from ${order.status} to ${to}`, {
      details: { from: order.status, to, allowed: TRANSITIONS[order.status] },
    });
  }

  let refundOwed = false;
  await db.transaction(async (tx) => {
    if (order.status === "pending") {
      // A payment being made for this order must settle first.
      const [inFlight] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.orderId, id), inArray(payments.status, ["pending", "unknown"])));
      if (inFlight) {
        throw new AppError(
          "CONFLICT",
          "A payment for this order is in progress; try again shortly",
          {
            retryAfterSeconds: 2,
          },
        );
      }
    }
    const now = Date.now();
    const [moved] = await tx
      .update(orders)
      .set({ status: to, updatedAt: now })
      .where(and(eq(orders.id, id), eq(orders.status, order.status)))
      .returning({ id: orders.id });
    if (!moved) throw new AppError("CONFLICT", "The order changed meanwhile; reload and retry");

    const entries: HistoryEntry[] = [];
    const details = { from: order.status, to, ownerId: order.userId };
    if (to === "cancelled") {
      entries.push({ actor: caller, action: "order_cancelled", orderId: id, details });
      if (order.status === "paid") {
        const [refunded] = await tx
          .update(payments)
          .set({ refundedAt: now, updatedAt: now })
          .where(and(eq(payments.orderId, id), eq(payments.status, "succeeded")))
          .returning({ transactionId: payments.transactionId, bank: payments.bank });
        // An order an admin marked paid by hand has no charge: nothing to pay back.
        if (refunded) {
          entries.push({
            actor: caller,
            action: "refund_recorded",
            orderId: id,
            details: { amountCents: order.totalCents, currency: "EUR", ...refunded },
          });
          refundOwed = true;
        }
      }
    } else {
      entries.push({ actor: caller, action: "status_changed", orderId: id, details });
    }
    await recordHistory(tx, ...entries);
  });
  // Committed: the sweep pays it back now, or retries until the bank confirms.
  if (refundOwed) void deps.refunds.kick();
  return (await loadOrder(reads, id))!;
}
