import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Caller } from "@shop/auth-kit";
import { openDatabase } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrdersDb, orderItems, orders, payments } from "../db/index.js";
import * as schema from "../db/schema.js";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { seedCatalog } from "./catalog.js";
import { encodeCursor } from "./cursor.js";
import { createOrderReads, type Order, type OrderReads } from "./order-view.js";
import { createOrder, getVisibleOrder, listOrders as listOrdersText } from "./orders.js";

/** The page as clients receive it (the domain returns it as JSON text). */
const listOrders = async (...args: Parameters<typeof listOrdersText>) =>
  (await listOrdersText(...args)).toJSON();

// The one-statement read, against a real libSQL file with rows written
// directly, as a database from before orders.items_json holds them: item ids
// interleave across orders and payments of several statuses, so a subquery
// correlated to the wrong row would show. The backfill migration then gives
// those orders their items_json.

/** Migration 0003, which fills items_json of orders placed before it, run again. */
const backfill = readFileSync(
  join(MIGRATIONS_FOLDER, "0003_backfill-order-items-json.sql"),
  "utf8",
);

const caller = (id: number, role: Caller["role"] = "user"): Caller => ({
  id,
  username: `u${id}`,
  role,
  tokenId: `t${id}`,
  expiresAt: Date.now() + 60_000,
});
const T = Date.UTC(2030, 0, 1);

let db: OrdersDb;
let reads: OrderReads;
let close: () => void;
const data = tempDataDir("orders-view-");
beforeAll(async () => {
  const database = await openDatabase({
    url: `file:${data.dir}/orders.db`,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log: silentLogger,
  });
  db = database.db;
  reads = createOrderReads(database);
  close = database.close;
  await seedCatalog(db);
  const head = (userId: number, i: number) => ({
    userId,
    status: "pending" as const,
    totalCents: 100 * i,
    createdAt: T + i,
    updatedAt: T + i,
  });
  // Orders 1..3 of user 10, order 4 of user 20.
  await db.insert(orders).values([head(10, 1), head(10, 2), head(20, 3), head(10, 4)]);
  const item = (orderId: number, productId: number, quantity: number) => ({
    orderId,
    productId,
    productName: `product ${productId}`,
    quantity,
    unitPriceCents: 100,
    lineTotalCents: 100 * quantity,
  });
  await db
    .insert(orderItems)
    .values([item(4, 3, 1), item(1, 1, 1), item(4, 1, 2), item(2, 2, 3), item(1, 2, 4)]);
  const payment = (orderId: number, status: schema.PaymentStatus, n: number) => ({
    orderId,
    userId: 10,
    idempotencyKey: `key-${n}`,
    paymentId: `pay-${n}`,
    amountCents: 500,
    status,
    bank: status === "succeeded" ? ("backup" as const) : null,
    transactionId: status === "succeeded" ? `tx-${n}` : null,
    createdAt: T,
    updatedAt: T,
    paidAt: status === "succeeded" ? T + 1000 : null,
  });
  await db
    .insert(payments)
    .values([payment(1, "failed", 1), payment(1, "succeeded", 2), payment(2, "declined", 3)]);
  runBackfill = async () => {
    await database.client.execute(backfill);
  };
  await runBackfill();
});
let runBackfill: () => Promise<void>;
afterAll(() => {
  close();
  data.cleanup();
});

describe("order read", () => {
  it("attaches each order's own items, in item order, and only a successful payment", async () => {
    const {
      orders: page,
      nextCursor,
      total,
    } = await listOrders(reads, caller(10), {
      limit: 10,
      scope: "mine",
    });
    expect({ nextCursor, total }).toEqual({ nextCursor: null, total: 3 });
    expect(page.map((o) => [o.id, o.items.map((i) => [i.productId, i.quantity])])).toEqual([
      [
        4,
        [
          [3, 1],
          [1, 2],
        ],
      ],
      [2, [[2, 3]]],
      [
        1,
        [
          [1, 1],
          [2, 4],
        ],
      ],
    ]);
    expect(page[2]).toEqual({
      id: 1,
      userId: 10,
      status: "pending",
      totalCents: 100,
      currency: "EUR",
      items: [
        {
          productId: 1,
          productName: "product 1",
          quantity: 1,
          unitPriceCents: 100,
          lineTotalCents: 100,
        },
        {
          productId: 2,
          productName: "product 2",
          quantity: 4,
          unitPriceCents: 100,
          lineTotalCents: 400,
        },
      ],
      payment: {
        transactionId: "tx-2",
        bank: "backup",
        amountCents: 500,
        paidAt: new Date(T + 1000).toISOString(),
        refund: null,
      },
      createdAt: new Date(T + 1).toISOString(),
      updatedAt: new Date(T + 1).toISOString(),
    });
    expect(page.map((o) => o.payment?.transactionId ?? null)).toEqual([null, null, "tx-2"]);
    expect(await getVisibleOrder(reads, caller(10), 1)).toEqual(page[2]);
  });

  it("show a payment's refund as owed, then paid once the bank confirms it", async () => {
    const refundOf = async () => (await getVisibleOrder(reads, caller(10), 1)).payment?.refund;
    expect(await refundOf()).toBeNull();
    await db
      .update(payments)
      .set({ refundedAt: T + 5000 })
      .where(eq(payments.paymentId, "pay-2"));
    expect(await refundOf()).toBe("owed");
    await db
      .update(payments)
      .set({ refundConfirmedAt: T + 6000 })
      .where(eq(payments.paymentId, "pay-2"));
    expect(await refundOf()).toBe("paid");
    await db
      .update(payments)
      .set({ refundedAt: null, refundConfirmedAt: null })
      .where(eq(payments.paymentId, "pay-2"));
  });

  it("counts the whole scope whatever the cursor, also on an empty page", async () => {
    const first = await listOrders(reads, caller(10), { limit: 2, scope: "mine" });
    expect(first.orders.map((o) => o.id)).toEqual([4, 2]);
    expect(first.total).toBe(3);
    const second = await listOrders(reads, caller(10), {
      limit: 2,
      cursor: first.nextCursor!,
      scope: "mine",
    });
    expect(second).toMatchObject({ nextCursor: null, total: 3 });
    expect(second.orders.map((o) => o.id)).toEqual([1]);
    const past = await listOrders(reads, caller(10), {
      limit: 2,
      cursor: encodeCursor(1),
      scope: "mine",
    });
    expect(past).toEqual({ orders: [], nextCursor: null, total: 3 });
    expect(await listOrders(reads, caller(99), { limit: 5, scope: "mine" })).toEqual({
      orders: [],
      nextCursor: null,
      total: 0,
    });
    const all = await listOrders(reads, caller(1, "admin"), { limit: 1, scope: "all" });
    expect(all.orders.map((o) => [o.id, o.userId])).toEqual([[4, 10]]);
    expect(all.total).toBe(4);
  });

  it("hides someone else's order in byId", async () => {
    await expect(getVisibleOrder(reads, caller(20), 1)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await getVisibleOrder(reads, caller(20), 3)).items).toEqual([]);
    await expect(getVisibleOrder(reads, caller(10), 99)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

/** Orders whose stored JSON differs from what the view builds now: none, ever. */
async function drifted(): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`select "o"."id" from "orders" as "o"
    join "order_json_view" as "v" on "v"."id" = "o"."id"
    where "o"."order_json" is not "v"."json"`);
  return rows.map((row) => row.id);
}

// After "order read": it adds orders and payments of its own.
describe("stored order JSON", () => {
  it("shows the epoch times as JavaScript's toISOString, whatever the instant", async () => {
    // Random instants from 1970 to 2100, to the millisecond, and the edges.
    const instants = [0, 1, 999, 1000, Date.UTC(2000, 1, 29, 23, 59, 59, 999), 4102444799999];
    for (let i = 0; i < 2000; i++) instants.push(Math.floor(Math.random() * 4102444800000));
    await db
      .insert(orders)
      .values(instants.map((at) => ({ userId: 77, totalCents: 0, createdAt: at, updatedAt: at })));
    const stored = await db
      .select({ at: orders.createdAt, json: orders.orderJson })
      .from(orders)
      .where(eq(orders.userId, 77));
    expect(stored).toHaveLength(instants.length);
    for (const row of stored) {
      const { createdAt, updatedAt } = JSON.parse(row.json ?? "null") as Order;
      const expected = new Date(row.at).toISOString();
      expect({ at: row.at, createdAt, updatedAt }).toEqual({
        at: row.at,
        createdAt: expected,
        updatedAt: expected,
      });
    }
    await db.delete(orders).where(eq(orders.userId, 77));
  });

  it("follows every write to the order and to its payments", async () => {
    const later = T + 86_400_123;
    await db.update(orders).set({ status: "paid", updatedAt: later }).where(eq(orders.id, 2));
    expect(await getVisibleOrder(reads, caller(10), 2)).toMatchObject({
      status: "paid",
      createdAt: new Date(T + 2).toISOString(),
      updatedAt: new Date(later).toISOString(),
      payment: null,
    });
    await db.update(payments).set({ paidAt: later }).where(eq(payments.paymentId, "pay-2"));
    expect((await getVisibleOrder(reads, caller(10), 1)).payment?.paidAt).toBe(
      new Date(later).toISOString(),
    );
    // A payment that succeeds, then one moved to another order, then one deleted.
    await db
      .update(payments)
      .set({ status: "succeeded", bank: "primary", transactionId: "tx-3", paidAt: later })
      .where(eq(payments.paymentId, "pay-3"));
    expect((await getVisibleOrder(reads, caller(10), 2)).payment?.transactionId).toBe("tx-3");
    await db.update(payments).set({ status: "failed" }).where(eq(payments.paymentId, "pay-2"));
    await db.update(payments).set({ orderId: 1 }).where(eq(payments.paymentId, "pay-3"));
    expect((await getVisibleOrder(reads, caller(10), 1)).payment?.transactionId).toBe("tx-3");
    expect((await getVisibleOrder(reads, caller(10), 2)).payment).toBeNull();
    await db.delete(payments).where(eq(payments.paymentId, "pay-3"));
    expect((await getVisibleOrder(reads, caller(10), 1)).payment).toBeNull();
    expect(await drifted()).toEqual([]);
    // Back as "order read" found it, for the tests after this one.
    await db.insert(payments).values({
      orderId: 2,
      userId: 10,
      idempotencyKey: "key-3",
      paymentId: "pay-3",
      amountCents: 500,
      status: "declined",
      createdAt: T,
      updatedAt: T,
    });
    await db
      .update(payments)
      .set({ status: "succeeded", paidAt: T + 1000 })
      .where(eq(payments.paymentId, "pay-2"));
    await db
      .update(orders)
      .set({ status: "pending", updatedAt: T + 2 })
      .where(eq(orders.id, 2));
    expect(await drifted()).toEqual([]);
  });

  it("is filled by the migration for rows from before it, and built if missing", async () => {
    const statements = readFileSync(join(MIGRATIONS_FOLDER, "0006_order-json.sql"), "utf8")
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter((statement) => /^(--[^\n]*\n)*UPDATE/.test(statement));
    expect(statements).toHaveLength(1);
    const before = await getVisibleOrder(reads, caller(10), 4);
    const page = await listOrders(reads, caller(10), { limit: 10, scope: "mine" });
    await db.update(orders).set({ orderJson: null });
    // A row without its text still reads the same: the read builds it.
    expect(await getVisibleOrder(reads, caller(10), 4)).toEqual(before);
    expect(await listOrders(reads, caller(10), { limit: 10, scope: "mine" })).toEqual(page);
    for (const statement of statements) await db.run(sql.raw(statement));
    const missing = await db.$count(orders, sql`${orders.orderJson} is null`);
    expect(missing).toBe(0);
    expect(await drifted()).toEqual([]);
  });
});

/** Scopes whose kept total differs from a count of their orders: none, ever. */
async function miscounted(): Promise<string[]> {
  const users = await db.all<{ userId: number }>(sql`select "user_id" as "userId" from (
      select "user_id", count(*) as "n" from "orders" group by "user_id") as "real"
    full join "user_order_counts" as "kept" using ("user_id")
    where coalesce("real"."n", 0) is not coalesce("kept"."orders", 0)`);
  const all = await db.all<{ off: number }>(sql`select
    (select count(*) from "orders") is not (select "orders" from "order_count") as "off"`);
  return [...users.map((row) => `user ${row.userId}`), ...(all[0]?.off ? ["all"] : [])];
}

// After "stored order JSON", whose orders of user 77 were added and deleted.
describe("kept totals", () => {
  const totalOf = async (who: Caller, scope: "mine" | "all" = "mine") =>
    (await listOrders(reads, who, { limit: 1, scope })).total;

  it("follow inserts, deletes and a change of owner", async () => {
    expect(await miscounted()).toEqual([]);
    expect([await totalOf(caller(10)), await totalOf(caller(20))]).toEqual([3, 1]);
    await db.update(orders).set({ userId: 20 }).where(eq(orders.id, 2));
    expect([await totalOf(caller(10)), await totalOf(caller(20))]).toEqual([2, 2]);
    await db.update(orders).set({ userId: 30 }).where(eq(orders.id, 2));
    expect([await totalOf(caller(20)), await totalOf(caller(30))]).toEqual([1, 1]);
    await db.update(orders).set({ userId: 10, status: "pending" }).where(eq(orders.id, 2));
    expect(await totalOf(caller(1, "admin"), "all")).toBe(4);
    expect(await miscounted()).toEqual([]);
  });

  it("are filled by the migration from the orders already there", async () => {
    const statements = readFileSync(join(MIGRATIONS_FOLDER, "0008_order-counts.sql"), "utf8")
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter((statement) => statement.startsWith("INSERT"));
    expect(statements).toHaveLength(2);
    await db.run(sql`delete from "user_order_counts"`);
    await db.run(sql`delete from "order_count"`);
    expect(await totalOf(caller(10))).toBe(0);
    for (const statement of statements) await db.run(sql.raw(statement));
    expect(await miscounted()).toEqual([]);
    expect(await totalOf(caller(10))).toBe(3);
  });
});

// Last: it places an order of its own.
describe("items_json", () => {
  it("is what the backfill builds from order_items, for an order the service places", async () => {
    const placed = await createOrder(db, reads, caller(30), [
      { productId: 2, quantity: 2 },
      { productId: 1, quantity: 1 },
      { productId: 2, quantity: 1 },
    ]);
    const stored = async () =>
      (await db.select({ json: orders.itemsJson }).from(orders).where(eq(orders.id, placed.id)))[0]!
        .json;
    const written = await stored();
    expect(JSON.parse(written)).toEqual(placed.items);
    expect(placed.items.map((i) => [i.productId, i.quantity])).toEqual([
      [2, 3],
      [1, 1],
    ]);
    await db.update(orders).set({ itemsJson: sql`'[]'` }).where(eq(orders.id, placed.id));
    await runBackfill();
    expect(await stored()).toBe(written);
  });
});
