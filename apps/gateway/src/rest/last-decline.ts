import type { OrdersRouter } from "@shop/orders/router";
import type { TRPCClient } from "@trpc/client";
import { type ForwardHeaders, forward } from "./clients.js";
import { call } from "./errors.js";

// The caller's history is read newest first, back to the order's creation at
// the latest; a longer history than this stops the search (the key then stays
// the one of the order's first attempt, as a retry would expect).
const PAGE = 100;
const MAX_PAGES = 10;

/**
 * The history entry id of the order's last declined payment, or null when it
 * has none: what {@link derivedPayKey} needs to start a new attempt after a
 * decline. Read through the orders API, as the caller.
 */
export async function lastDeclineOf(
  orders: TRPCClient<OrdersRouter>,
  orderId: number,
  headers: ForwardHeaders,
): Promise<number | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { history, nextCursor } = await call(
      orders.history.query({ limit: PAGE, cursor }, forward(headers)),
    );
    for (const entry of history) {
      if (entry.details.orderId !== orderId) continue;
      if (entry.action === "payment_failed" && entry.details.reason === "declined") return entry.id;
      if (entry.action === "order_created") return null;
    }
    if (nextCursor === null) return null;
    cursor = nextCursor;
  }
  return null;
}
