import { type Database, openDatabase } from "@shop/kit";
import { silentLogger } from "@shop/kit/testing";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { history, orders, type PaymentRow, payments } from "../db/index.js";
import * as schema from "../db/schema.js";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { eventually, expectStatus, type Harness, startHarness } from "../test/harness.js";
import { BankClient } from "./bank-client.js";
import { PrimaryBankBreaker } from "./breaker.js";
import { createOrderReads } from "./order-view.js";
import type { PaymentDeps } from "./payment-deps.js";
import { insertPayment, leasePayment, markTried, releasePayment } from "./payment-store.js";
import { completePayment } from "./record-charge.js";
import { chargeWithFallback } from "./settle-payment.js";

// A second process on the same database plays the request that stalls (a GC
// pause, a frozen VM) past its lease while the service, over HTTP, takes the
// payment over: each step of the stalled request is called by hand, in order.

let h: Harness | undefined;
let database: Database<typeof schema> | undefined;
let breaker: PrimaryBankBreaker | undefined;
afterEach(async () => {
  breaker?.shutdown();
  database?.close();
  await h?.close();
  h = breaker = database = undefined;
});

const alice = { id: 2, username: "user1" };

/** `sweepMs`: how often the service's refund and payment sweeps run (after one at start-up). */
async function setup(sweepMs = 60_000) {
  h = await startHarness({ orders: { config: { refundRetryMs: sweepMs } } });
  database = await openDatabase({
    url: `file:${h.orders.config.dataDir}/orders.db`,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log: silentLogger,
  });
  const bank = new BankClient(h.bank.url, 2_000);
  breaker = new PrimaryBankBreaker(bank, { threshold: 3, resetAfterMs: 1_000 }, silentLogger);
  const stalled: PaymentDeps = {
    db: database.db,
    reads: createOrderReads(database),
    bank,
    breaker,
    refunds: { kick: async () => {} },
    leaseMs: 10_000,
    log: silentLogger,
  };
  const client = await h.as("alice");
  const order = await client.create.mutate({ items: [{ productId: 3, quantity: 1 }] });
  return { h, db: database.db, stalled, client, order };
}

/** A payment attempt as a request starts it, leased to that request. */
function begin(db: PaymentDeps["db"], order: { id: number; totalCents: number }, key: string) {
  return insertPayment(db, {
    orderId: order.id,
    userId: alice.id,
    key,
    amountCents: order.totalCents,
    leaseMs: 10_000,
  });
}

async function expireLease(db: PaymentDeps["db"], payment: PaymentRow) {
  await db.update(payments).set({ leaseUntil: 1 }).where(eq(payments.id, payment.id));
}

/** The stalled (or crashed) request's charge, reaching the primary without a deadline. */
function chargeAtPrimary(stalled: PaymentDeps, payment: PaymentRow) {
  return stalled.bank.charge("primary", {
    paymentId: payment.paymentId,
    amountCents: payment.amountCents,
    currency: "EUR",
    description: "stalled",
  });
}

async function statusOf(db: PaymentDeps["db"], payment: PaymentRow) {
  const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
  return row?.status;
}

async function actions(db: PaymentDeps["db"], orderId: number) {
  const rows = await db
    .select({ action: history.action })
    .from(history)
    .where(eq(history.orderId, orderId));
  return rows.map((row) => row.action);
}

describe("a request that outlives its payment lease", () => {
  it("does not refund the charge the next holder recorded for the same payment", async () => {
    const { db, stalled, client, order } = await setup();
    const key = "stalled-key-01";
    const payment = await insertPayment(db, {
      orderId: order.id,
      userId: alice.id,
      key,
      amountCents: order.totalCents,
      leaseMs: 10_000,
    });
    await markTried(db, payment, "primary", 10_000);
    const charge = await chargeAtPrimary(stalled, payment);
    // Stalled before recording it; its lease runs out and the client retries.
    await expireLease(db, payment);
    const retried = await client.pay.mutate({ orderId: order.id, idempotencyKey: key });
    expect(retried.payment.transactionId).toBe(charge.transaction_id);

    const late = await completePayment(stalled, payment, alice, "primary", charge);
    expect(late.transactionId).toBe(charge.transaction_id);
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: "succeeded", refundedAt: null });
    expect(await actions(db, order.id)).not.toContain("refund_recorded");
    expect((await client.byId.query({ id: order.id })).status).toBe("paid");
  });

  it("has its charge refused by a bank it reaches after its lease", async () => {
    const { h, db, stalled, order } = await setup();
    const payment = await begin(db, order, "stalled-key-02");
    // A lease that is over by the time the charge arrives: the bank refuses it.
    const late = { ...stalled, leaseMs: -1_000 };
    await expect(chargeWithFallback(late, payment, alice)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await fetch(`${h.bank.url}/primary/charges/${payment.paymentId}`)).status).toBe(404);
    expect(await h.charged("primary")).toHaveLength(0);
    expect(await h.charged("backup")).toHaveLength(0);
  });

  // The charges below reach a bank after their request's lease, as they could
  // at a bank that takes no deadline (or with clocks apart): never lost.

  it("has a late charge owed back when another key paid the order meanwhile", async () => {
    const { h, db, stalled, client, order } = await setup();
    const payment = await begin(db, order, "stalled-key-03");
    await markTried(db, payment, "primary", 10_000);
    // Stalled before the bank saw it: a new key finds nothing charged and pays.
    await expireLease(db, payment);
    const other = await client.pay.mutate({ orderId: order.id, idempotencyKey: "other-key-03" });
    expect(other.order.status).toBe("paid");

    const charge = await chargeAtPrimary(stalled, payment);
    await expect(completePayment(stalled, payment, alice, "primary", charge)).rejects.toMatchObject(
      { code: "CONFLICT" },
    );
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: "failed", transactionId: charge.transaction_id });
    expect(row!.refundedAt).not.toBeNull();
    expect(await actions(db, order.id)).toContain("refund_recorded");
    // Its key is spent: a retry charges nothing.
    await expectStatus(
      client.pay.mutate({ orderId: order.id, idempotencyKey: "stalled-key-03" }),
      409,
    );
    // A refund sweep (here a replica's, at its start) pays the second charge back; the first stands.
    await h.startOrders({ config: { refundRetryMs: 100 } });
    await eventually(async () => {
      const charges = await h.charged("primary");
      return charges.find((c) => c.payment_id === payment.paymentId)?.refunded_at != null;
    });
    const kept = (await h.charged("primary")).filter((c) => c.refunded_at === null);
    expect(kept.map((c) => c.transaction_id)).toEqual([other.payment.transactionId]);
  });

  it("has a late charge pay the order when it still waits for one", async () => {
    const { h, db, stalled, client, order } = await setup();
    const payment = await begin(db, order, "stalled-key-04");
    await markTried(db, payment, "primary", 10_000);
    await expireLease(db, payment);
    // A replica's sweep finds nothing charged and fails the payment.
    await h.startOrders();
    await eventually(async () => (await statusOf(db, payment)) === "failed");

    const charge = await chargeAtPrimary(stalled, payment);
    const paid = await completePayment(stalled, payment, alice, "primary", charge);
    expect(paid.transactionId).toBe(charge.transaction_id);
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: "succeeded", refundedAt: null });
    expect((await client.byId.query({ id: order.id })).status).toBe("paid");
    // The same key answers that payment; nothing is charged again.
    const again = await client.pay.mutate({ orderId: order.id, idempotencyKey: "stalled-key-04" });
    expect(again.payment.transactionId).toBe(charge.transaction_id);
    expect(await h.charged("primary")).toHaveLength(1);
  });

  it("cannot take a failed payment of a cancelled order again", async () => {
    const { h, db, order } = await setup();
    await h.control({ bank: "primary", down: true });
    await h.control({ bank: "backup", down: true });
    const client = await h.as("alice");
    await expectStatus(
      client.pay.mutate({ orderId: order.id, idempotencyKey: "failed-key-05" }),
      503,
    );
    const [failed] = await db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(failed?.status).toBe("failed");
    await client.updateStatus.mutate({ id: order.id, status: "cancelled" });
    // A retry that read the order as pending just before the cancel cannot lease it.
    await expect(leasePayment(db, failed!.id, ["failed"], 10_000)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(
      insertPayment(db, {
        orderId: order.id,
        userId: alice.id,
        key: "failed-key-06",
        amountCents: order.totalCents,
        leaseMs: 10_000,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "Order is not payable: it is cancelled" });
  });

  it("can neither settle the payment nor call a bank once another request holds it", async () => {
    const { db, order } = await setup();
    const payment = await begin(db, order, "stalled-key-07");
    await expireLease(db, payment);
    const holder = await leasePayment(db, payment.id, ["pending"], 10_000);

    expect(await releasePayment(db, payment, "failed", "stale")).toBe(false);
    await expect(markTried(db, payment, "primary", 10_000)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: "pending", triedPrimary: false });
    expect(row!.leaseToken).toBe(holder.leaseToken);
    expect(await releasePayment(db, holder, "failed", "nothing charged")).toBe(true);
  });
});

describe("the payment sweep", () => {
  async function crashedPayment(db: PaymentDeps["db"], orderId: number, amountCents: number) {
    const payment = await begin(db, { id: orderId, totalCents: amountCents }, `crashed-${orderId}`);
    await markTried(db, payment, "primary", 10_000);
    await expireLease(db, payment);
    return payment;
  }

  it("pays an order whose process died after the bank charged it", async () => {
    const { h, db, stalled, client, order } = await setup();
    const payment = await crashedPayment(db, order.id, order.totalCents);
    const charge = await chargeAtPrimary(stalled, payment);
    // Nobody retries: a (re)started process settles it on its own.
    const restarted = await h.startOrders({ config: { refundRetryMs: 100 } });
    const owner = await h.client(restarted, "alice");
    await eventually(async () => (await owner.byId.query({ id: order.id })).status === "paid");
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: "succeeded", transactionId: charge.transaction_id });
    expect(await actions(db, order.id)).toContain("order_paid");
    expect((await client.byId.query({ id: order.id })).payment?.transactionId).toBe(
      charge.transaction_id,
    );
  });

  it("fails a payment no bank charged, so the order can be cancelled", async () => {
    const { h, db, order } = await setup(100);
    const payment = await crashedPayment(db, order.id, order.totalCents);
    const admin = await h.as("admin");
    await eventually(async () => (await statusOf(db, payment)) === "failed");
    const cancelled = await admin.updateStatus.mutate({ id: order.id, status: "cancelled" });
    expect(cancelled.status).toBe("cancelled");
    expect(await actions(db, order.id)).toContain("payment_failed");
    const [head] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(head?.status).toBe("cancelled");
    expect(await h.charged("primary")).toHaveLength(0);
  });

  it("records a decline it learns of, for a payment that was unknown", async () => {
    const { h, db, stalled, order } = await setup();
    const payment = await crashedPayment(db, order.id, order.totalCents);
    await db
      .update(payments)
      .set({ status: "unknown", leaseUntil: null })
      .where(eq(payments.id, payment.id));
    await h.control({ bank: "primary", decline_over_cents: 0 });
    await expect(chargeAtPrimary(stalled, payment)).rejects.toMatchObject({ failure: "declined" });
    await h.startOrders();
    await eventually(async () => (await statusOf(db, payment)) === "declined");
    const declines = await db
      .select({ details: history.details })
      .from(history)
      .where(and(eq(history.orderId, order.id), eq(history.action, "payment_failed")));
    expect(declines.map((d) => JSON.parse(d.details).reason)).toEqual(["declined"]);
  });

  it("leaves a payment it cannot tell about for the next sweep, and a new key waits", async () => {
    const { h, db, client, order } = await setup();
    await h.control({ bank: "primary", down: true });
    const payment = await crashedPayment(db, order.id, order.totalCents);
    // A replica's start-up sweep asks; the bank cannot tell.
    await h.startOrders();
    await eventually(async () => (await statusOf(db, payment)) === "unknown");
    const before = (await actions(db, order.id)).length;
    for (const key of ["new-key-0001", "new-key-0002"]) {
      const error = await expectStatus(
        client.pay.mutate({ orderId: order.id, idempotencyKey: key }),
        503,
      );
      expect(error.message).toMatch(/earlier payment/);
    }
    // Asking again is not a new failure of anyone's payment.
    expect((await actions(db, order.id)).length).toBe(before);

    await h.control({ bank: "primary", down: false });
    await h.startOrders();
    await eventually(async () => (await statusOf(db, payment)) === "failed");
    const paid = await client.pay.mutate({ orderId: order.id, idempotencyKey: "new-key-0003" });
    expect(paid.order.status).toBe("paid");
  });
});
