import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Times are epoch milliseconds (integers sort and compare exactly); the API
// turns them into ISO strings. Money is integer cents, currency EUR.

export const ORDER_STATUSES = [
  "pending",
  "paid",
  "processing",
  "shipped",
  "delivered",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ["pending", "unknown", "succeeded", "failed", "declined"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const HISTORY_ACTIONS = [
  "order_created",
  "order_cancelled",
  "order_paid",
  "payment_failed",
  "status_changed",
  "refund_recorded",
  "refund_completed",
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** The catalog. Prices live here only: an order's prices are copied from it, never from a client. */
export const products = sqliteTable(
  "products",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    // Stable business key, so seeding is idempotent (insert or ignore on it).
    sku: text().notNull(),
    name: text().notNull(),
    description: text().notNull(),
    priceCents: integer().notNull(),
    active: integer({ mode: "boolean" }).notNull().default(true),
    createdAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("products_sku_unique").on(t.sku),
    check("products_price_check", sql`${t.priceCents} > 0`),
  ],
);

export const orders = sqliteTable(
  "orders",
  {
    // AUTOINCREMENT: ids only grow, so `id` alone orders pages newest first and
    // a cursor on it stays stable while new orders arrive.
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer().notNull(),
    status: text({ enum: ORDER_STATUSES }).notNull().default("pending"),
    totalCents: integer().notNull(),
    currency: text().notNull().default("EUR"),
    // The line items as the API shows them (a JSON array), written with the
    // order: items never change once it is placed, so a read copies this text
    // instead of building it from order_items (a quarter of a page read's SQL).
    // order_items stays the record that stats and checks query.
    itemsJson: text().notNull().default("[]"),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    // The whole order as the API shows it (order-view.ts's orderJson: items,
    // successful payment, refund state, ISO times), kept by triggers
    // (migration 0006) on every write to the order or to its payments: a page
    // read concatenates ten of these instead of building them, which was two
    // thirds of its SQL. Null only if a trigger were missing; reads fall back
    // to building it.
    orderJson: text(),
    /**
     * The client's key for placing this order, if it sent one: a create
     * retried after a lost answer finds the order it made instead of placing
     * a second one. Scoped to the user, like a payment's key.
     */
    idempotencyKey: text(),
  },
  (t) => [
    // "My orders, newest first" and per-user stats.
    index("orders_user_id_id_idx").on(t.userId, t.id),
    uniqueIndex("orders_user_key_unique")
      .on(t.userId, t.idempotencyKey)
      .where(sql`idempotency_key is not null`),
    check(
      "orders_status_check",
      sql`${t.status} in ('pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled')`,
    ),
    check("orders_total_check", sql`${t.totalCents} >= 0`),
  ],
);

/**
 * How many orders each user has, kept by triggers (migration 0008) on every
 * insert, delete and change of owner: a page's total is one lookup instead of
 * a count over the user's orders.
 */
export const userOrderCounts = sqliteTable("user_order_counts", {
  userId: integer().primaryKey(),
  orders: integer().notNull(),
});

/** How many orders there are, one row kept like {@link userOrderCounts}: everyone's page total. */
export const orderCount = sqliteTable(
  "order_count",
  {
    id: integer().primaryKey(),
    orders: integer().notNull(),
  },
  (t) => [check("order_count_one_row", sql`${t.id} = 1`)],
);

/** Line items, with the name and unit price as they were when the order was placed. */
export const orderItems = sqliteTable(
  "order_items",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    productId: integer()
      .notNull()
      .references(() => products.id),
    productName: text().notNull(),
    quantity: integer().notNull(),
    unitPriceCents: integer().notNull(),
    lineTotalCents: integer().notNull(),
  },
  (t) => [
    index("order_items_order_id_idx").on(t.orderId),
    check("order_items_quantity_check", sql`${t.quantity} between 1 and 100`),
  ],
);

/**
 * One row per payment attempt (one idempotency key). The bank-facing
 * `paymentId` is generated and stored before the first bank call, so a crash
 * mid-payment is reconciled by asking the banks about that id.
 */
export const payments = sqliteTable(
  "payments",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    userId: integer().notNull(),
    idempotencyKey: text().notNull(),
    paymentId: text().notNull(),
    amountCents: integer().notNull(),
    currency: text().notNull().default("EUR"),
    status: text({ enum: PAYMENT_STATUSES }).notNull(),
    /** Which bank charged (set with `transactionId` on success). */
    bank: text({ enum: ["primary", "backup"] }),
    transactionId: text(),
    usedFallback: integer({ mode: "boolean" }).notNull().default(false),
    // Set before calling a bank: which banks may have seen this payment id.
    triedPrimary: integer({ mode: "boolean" }).notNull().default(false),
    triedBackup: integer({ mode: "boolean" }).notNull().default(false),
    lastError: text(),
    /**
     * A replica working on this payment holds it until this time; another
     * request for it waits (CONFLICT) instead of calling the banks in parallel.
     */
    leaseUntil: integer(),
    /**
     * Which request holds the lease (new on every lease): only its holder may
     * release the payment as failed, declined or unknown, or renew the lease
     * before calling a bank, so a request paused past its lease cannot
     * overwrite what the next holder settled. A charge a bank confirms is a
     * fact and is recorded whoever holds the lease (see settle-payment.ts).
     */
    leaseToken: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    paidAt: integer(),
    /** When the order's money became owed back (a paid order cancelled, a charge too late). */
    refundedAt: integer(),
    /** When the bank confirmed the refund; null while it is owed (see domain/refunds.ts). */
    refundConfirmedAt: integer(),
  },
  (t) => [
    // The idempotency key is scoped to its user.
    uniqueIndex("payments_user_key_unique").on(t.userId, t.idempotencyKey),
    uniqueIndex("payments_payment_id_unique").on(t.paymentId),
    // At most one payment per order may be in flight, unresolved or successful:
    // the database, not an in-memory lock, stops concurrent replicas charging twice.
    uniqueIndex("payments_order_active_unique")
      .on(t.orderId)
      .where(sql`status in ('pending', 'unknown', 'succeeded')`),
    // An order's successful payment, read with every order (list, byId): the
    // partial index above cannot serve `status = 'succeeded'` (SQLite does not
    // derive it from the IN list), so without this each read scans payments.
    index("payments_order_id_status_idx").on(t.orderId, t.status),
    // The refunds still owed: what the refund sweep reads, however many payments there are.
    index("payments_refund_owed_idx")
      .on(t.id)
      .where(sql`refunded_at is not null and refund_confirmed_at is null`),
    // The payments nobody settled yet, least recently looked at first: what
    // the payment sweep reads, however many settled payments there are.
    index("payments_unsettled_idx").on(t.updatedAt).where(sql`status in ('pending', 'unknown')`),
    check(
      "payments_status_check",
      sql`${t.status} in ('pending', 'unknown', 'succeeded', 'failed', 'declined')`,
    ),
  ],
);

/** Append-only action history, per user; `username` is copied from the token for display. */
export const history = sqliteTable(
  "history",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer().notNull(),
    username: text().notNull(),
    action: text({ enum: HISTORY_ACTIONS }).notNull(),
    orderId: integer(),
    /** JSON object with the action's facts (amounts, statuses, bank, transaction id). */
    details: text().notNull().default("{}"),
    createdAt: integer().notNull(),
  },
  (t) => [index("history_user_id_id_idx").on(t.userId, t.id)],
);

export type ProductRow = typeof products.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type HistoryRow = typeof history.$inferSelect;
