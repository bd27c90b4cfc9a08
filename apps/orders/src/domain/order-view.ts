import { type Database, JsonText } from "@shop/kit";
import { eq } from "drizzle-orm";
import { type OrderRow, type OrdersDb, orders } from "../db/index.js";
import { encodeCursor } from "./cursor.js";

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

// A read is one statement that returns one row. Each order's JSON is stored
// with it (orders.order_json, kept by triggers on every write to the order
// and its payments, migration 0006), so a page concatenates ten texts instead
// of building ten objects, their items, payment and times: statement
// preparation and per-row conversion in the client, and then JSON building in
// SQLite, are what a read costs. A row without its JSON falls back to the
// view that builds it (order_json_view, the one definition of an order's JSON).
//
// The statements are SQL text, prepared once (see prepareRead), with every
// column qualified by its alias so each subquery correlates to the right row.

/** The JSON of the order of alias `o`, as stored or else built. */
const orderJson = (o: string) =>
  `coalesce("${o}"."order_json",
    (select "v"."json" from "order_json_view" as "v" where "v"."id" = "${o}"."id"))`;

/** An order as the API shows it: prices in cents, times in ISO 8601. */
export interface Order {
  id: number;
  userId: number;
  status: OrderHead["status"];
  totalCents: number;
  currency: "EUR";
  items: Array<{
    productId: number;
    productName: string;
    quantity: number;
    unitPriceCents: number;
    lineTotalCents: number;
  }>;
  payment: {
    transactionId: string;
    bank: "primary" | "backup";
    amountCents: number;
    paidAt: string;
    /** Null unless the money is owed back: `owed` until the bank confirms the refund, then `paid`. */
    refund: "owed" | "paid" | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

/** `before` when a page has no cursor: above every id (ids are safe integers). */
export const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * A page newest first, `:limit` rows below `:before`, in one row also when
 * it is empty: the orders as JSON, the scope's total (cursor ignored), the id
 * of the page's last order, and whether any order lies beyond it (both by
 * index seeks, so the page itself is built for exactly `:limit` orders).
 */
function pageSql(scope: "owner" | "all"): string {
  const owner = scope === "owner" ? `"user_id" = :userId` : "1";
  const below = `from "orders" where ${owner} and "id" < :before order by "id" desc`;
  // The totals are kept by triggers (migration 0008): no count over the orders.
  const total =
    scope === "owner"
      ? `coalesce((select "orders" from "user_order_counts" where "user_id" = :userId), 0)`
      : `coalesce((select "orders" from "order_count" where "id" = 1), 0)`;
  return `select ${total} as "total",
    (select '[' || coalesce(group_concat(${orderJson("h")}, ',' order by "h"."id" desc), '') || ']'
      from (select "id", "order_json" ${below} limit :limit) as "h") as "orders",
    (select "id" ${below} limit 1 offset :limit - 1) as "lastId",
    (select "id" ${below} limit 1 offset :limit) is not null as "more"`;
}

/**
 * The read statements of the orders' hot paths, prepared once per database
 * (see prepareRead): one order by id, one owner's page, everyone's page.
 */
export function createOrderReads(database: Pick<Database<Record<string, never>>, "prepareRead">) {
  return {
    byId: database.prepareRead<{ order: string }>(
      `select ${orderJson("o")} as "order" from "orders" as "o" where "o"."id" = :id`,
    ),
    pageOfOwner: database.prepareRead<PageRow>(pageSql("owner")),
    pageOfAll: database.prepareRead<PageRow>(pageSql("all")),
  };
}
export type OrderReads = ReturnType<typeof createOrderReads>;
interface PageRow {
  total: number;
  orders: string;
  lastId: number | null;
  more: number;
}

/** A page of orders as the API sends it. */
export interface OrderPage {
  orders: Order[];
  /** Where the next page starts; null on the last one. */
  nextCursor: string | null;
  total: number;
}

/**
 * Up to `limit` orders below `before` (newest first), of one owner or of
 * everyone, with how many orders that scope holds, as JSON text around the
 * orders SQLite wrote: a read neither parses nor re-serializes them.
 */
export async function readOrderPage(
  reads: OrderReads,
  page: { userId?: number; before: number; limit: number },
): Promise<JsonText<OrderPage>> {
  const { pageOfOwner, pageOfAll } = reads;
  const row =
    page.userId === undefined
      ? await pageOfAll.get({ before: page.before, limit: page.limit })
      : await pageOfOwner.get({ userId: page.userId, before: page.before, limit: page.limit });
  if (!row) throw new Error("The page statement returned no row");
  const nextCursor = row.more && row.lastId !== null ? encodeCursor(row.lastId) : null;
  return new JsonText(
    `{"orders":${row.orders},"nextCursor":${JSON.stringify(nextCursor)},"total":${row.total}}`,
  );
}

/** An order head by id, whoever owns it. */
export async function findOrderHead(db: OrdersDb, id: number): Promise<OrderHead | undefined> {
  const [head] = await db.select(orderColumns).from(orders).where(eq(orders.id, id));
  return head;
}

/** The full order by id, whoever owns it, or undefined. */
export async function loadOrder(reads: OrderReads, id: number): Promise<Order | undefined> {
  const row = await reads.byId.get({ id });
  return row ? (JSON.parse(row.order) as Order) : undefined;
}
