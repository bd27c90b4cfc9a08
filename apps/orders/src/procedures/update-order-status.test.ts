import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_STATUSES, type OrderStatus } from "../db/index.js";
import { canTransition } from "../domain/order-status.js";
import {
  eventually,
  expectStatus,
  type Harness,
  type OrdersClient,
  startHarness,
} from "../test/harness.js";

let h: Harness;
let alice: OrdersClient;
let bob: OrdersClient;
let admin: OrdersClient;
beforeAll(async () => {
  h = await startHarness();
  [alice, bob, admin] = await Promise.all([h.as("alice"), h.as("bob"), h.as("admin")]);
});
afterAll(() => h.close());

const PATH: OrderStatus[] = ["pending", "paid", "processing", "shipped", "delivered"];

/** A fresh order of alice's, moved by the admin to `status` along the legal path. */
async function orderIn(status: OrderStatus) {
  const order = await alice.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
  if (status === "cancelled") {
    await admin.updateStatus.mutate({ id: order.id, status });
    return order;
  }
  for (const next of PATH.slice(1, PATH.indexOf(status) + 1)) {
    await admin.updateStatus.mutate({ id: order.id, status: next });
  }
  return order;
}

describe("order state machine", () => {
  it("lets an admin make every legal move and refuses every illegal one with 409", async () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const order = await orderIn(from);
        const call = admin.updateStatus.mutate({ id: order.id, status: to });
        if (canTransition(from, to)) {
          expect((await call).status, `${from} → ${to}`).toBe(to);
        } else {
          await expectStatus(call, 409);
          expect((await admin.byId.query({ id: order.id })).status).toBe(from);
        }
      }
    }
  });

  it("allows exactly the documented transitions", () => {
    const legal = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(legal.sort()).toEqual(
      [
        "pending>paid",
        "paid>processing",
        "processing>shipped",
        "shipped>delivered",
        "pending>cancelled",
        "paid>cancelled",
      ].sort(),
    );
  });
});

describe("who may change an order", () => {
  it("lets an owner cancel their own pending order, and nothing more", async () => {
    const order = await orderIn("pending");
    await expectStatus(alice.updateStatus.mutate({ id: order.id, status: "paid" }), 403);
    await expectStatus(alice.updateStatus.mutate({ id: order.id, status: "shipped" }), 403);
    expect((await alice.updateStatus.mutate({ id: order.id, status: "cancelled" })).status).toBe(
      "cancelled",
    );
    await expectStatus(alice.updateStatus.mutate({ id: order.id, status: "cancelled" }), 409);

    const paid = await orderIn("paid");
    await expectStatus(alice.updateStatus.mutate({ id: paid.id, status: "cancelled" }), 403);
    const shipped = await orderIn("shipped");
    await expectStatus(alice.updateStatus.mutate({ id: shipped.id, status: "delivered" }), 403);
  });

  it("hides someone else's order from a user who tries to change it", async () => {
    const order = await orderIn("pending");
    await expectStatus(bob.updateStatus.mutate({ id: order.id, status: "cancelled" }), 404);
    await expectStatus(bob.updateStatus.mutate({ id: order.id, status: "paid" }), 404);
    await expectStatus(admin.updateStatus.mutate({ id: 999_999, status: "paid" }), 404);
    await expectStatus(admin.updateStatus.mutate({ id: order.id, status: "lost" as never }), 400);
    expect((await alice.byId.query({ id: order.id })).status).toBe("pending");
  });

  it("records no refund when an order an admin marked paid by hand is cancelled", async () => {
    const order = await orderIn("paid");
    await admin.updateStatus.mutate({ id: order.id, status: "cancelled" });
    const entries = (await admin.history.query({ limit: 100 })).history.filter(
      (e) => e.details.orderId === order.id,
    );
    expect(entries.map((e) => e.action)).toEqual(["order_cancelled", "status_changed"]);
    expect((await alice.byId.query({ id: order.id })).payment).toBeNull();
  });

  it("records a refund when a paid order is cancelled, pays it back, and keeps stats honest", async () => {
    const h2 = await startHarness();
    try {
      const [carol, boss] = await Promise.all([h2.as("bob"), h2.as("admin")]);
      const order = await carol.create.mutate({ items: [{ productId: 1, quantity: 2 }] });
      const keep = await carol.create.mutate({ items: [{ productId: 3, quantity: 1 }] });
      await carol.pay.mutate({ orderId: order.id, idempotencyKey: "refund-test-1" });
      await carol.pay.mutate({ orderId: keep.id, idempotencyKey: "refund-test-2" });
      await carol.create.mutate({ items: [{ productId: 3, quantity: 1 }] });
      await boss.updateStatus.mutate({ id: order.id, status: "cancelled" });

      const history = await boss.history.query();
      expect(history.history.map((e) => e.action)).toEqual(["refund_recorded", "order_cancelled"]);
      expect(history.history[0]).toMatchObject({
        username: "admin",
        details: { orderId: order.id, amountCents: order.totalCents, bank: "primary" },
      });
      expect(await carol.stats.query()).toEqual({
        userId: 3,
        totalOrders: 3,
        totalSpentCents: keep.totalCents,
        ordersByStatus: {
          pending: 1,
          paid: 1,
          processing: 0,
          shipped: 0,
          delivered: 0,
          cancelled: 1,
        },
      });
      // The bank pays back the cancelled order only, and the owner's history says so.
      await eventually(async () =>
        (await h2.charged("primary")).some((c) => c.refunded_at !== null),
      );
      const records = await h2.charged("primary");
      expect(records.filter((c) => c.refunded_at !== null)).toMatchObject([
        { amount_cents: order.totalCents },
      ]);
      const own = await carol.history.query();
      expect(own.history.map((e) => e.action)).toEqual([
        "refund_completed",
        "order_created",
        "order_paid",
        "order_paid",
        "order_created",
        "order_created",
      ]);
    } finally {
      await h2.close();
    }
  });
});
