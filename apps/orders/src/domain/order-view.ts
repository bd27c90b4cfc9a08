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

// A read is one statement that returns one row: the orders as JSON, each
// with its line items (stored with the order as JSON, see orders.itemsJson)
// and its successful payment from a correlated subquery
// (payments_order_id_status_idx). Statement
// preparation and per-row conversion in the client, not SQLite, dominate a
// read, so one statement and one row per call is what makes it cheap.
//
// The statements are SQL text, prepared once (see prepareRead), with every
// column qualified by its alias so each subquery correlates to the right row.

/**
 * An epoch-ms column as ISO 8601 with milliseconds, exactly as JavaScript's
 * toISOString writes it (checked against it over 200,000 random instants).
 * Triggers store it beside each time the reads show (migration 0004); the
 * expression is only the fallback for a row without it.
 */
const isoTime = (column: string) =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;

/** The stored ISO text of an epoch-ms column of alias `a`, or the same text computed. */
const storedIso = (a: string, time: string, iso: string) =>
  `coalesce("${a}"."${iso}", ${isoTime(`"${a}"."${time}"`)})`;

/** One order of alias `o` as the API's {@link Order}, built by SQLite. */
const orderJson = (o: string) => `json_object(
    'id', "${o}"."id",
    'userId', "${o}"."user_id",
    'status', "${o}"."status",
    'totalCents', "${o}"."total_cents",
    'currency', "${o}"."currency",
    'items', json("${o}"."items_json"),
    'payment', json((select json_object(
        'transactionId', "p"."transaction_id",
        'bank', "p"."bank",
        'amountCents', "p"."amount_cents",
        'paidAt', ${storedIso("p", "paid_at", "paid_iso")},
        'refund', (case when "p"."refunded_at" is null then null
          when "p"."refund_confirmed_at" is null then 'owed' else 'paid' end))
      from "payments" as "p"
      where "p"."order_id" = "${o}"."id" and "p"."status" = 'succeeded')),
    'createdAt', ${storedIso(o, "created_at", "created_iso")},
    'updatedAt', ${storedIso(o, "updated_at", "updated_iso")})`;

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
  return `select (select count(*) from "orders" where ${owner}) as "total",
    (select json_group_array(${orderJson("h")} order by "h"."id" desc)
      from (select * ${below} limit :limit) as "h") as "orders",
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
