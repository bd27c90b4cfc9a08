import { afterEach, describe, expect, it } from "vitest";
import { expectStatus, type Harness, startHarness } from "../test/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(options: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness(options);
  const alice = await h.as("alice");
  const order = await alice.create.mutate({ items: [{ productId: 1, quantity: 1 }] });
  return { h, alice, order };
}

describe("pay", () => {
  it("charges the primary bank once and marks the order paid", async () => {
    const { h, alice, order } = await setup();
    const result = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "key-0000001" });
    expect(result.payment).toMatchObject({
      bank: "primary",
      amountCents: order.totalCents,
      usedFallback: false,
    });
    expect(result.order).toMatchObject({
      status: "paid",
      payment: { transactionId: result.payment.transactionId },
    });
    expect(await h.charged("primary")).toHaveLength(1);
    const history = await alice.history.query();
    expect(history.history[0]).toMatchObject({
      action: "order_paid",
      username: "user1",
      details: { transactionId: result.payment.transactionId, bank: "primary" },
    });
    await expectStatus(alice.pay.mutate({ orderId: order.id, idempotencyKey: "key-0000002" }), 409);
  });

  it("returns the first result for a retried key, even after a restart, and never charges twice", async () => {
    const { h, alice, order } = await setup();
    const first = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "retry-key-1" });
    const again = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "retry-key-1" });
    expect(again.payment).toEqual(first.payment);

    await h.orders.close();
    const restarted = await h.startOrders();
    const client = await h.client(restarted, "alice");
    const afterRestart = await client.pay.mutate({
      orderId: order.id,
      idempotencyKey: "retry-key-1",
    });
    expect(afterRestart.payment).toEqual(first.payment);
    expect(await h.charged("primary")).toHaveLength(1);
    expect(await h.charged("backup")).toHaveLength(0);
    // Keep close() of the harness from closing the first process twice.
    h.orders.close = async () => {};
  });

  it("derives a key without one: a retry replays, a decline lets the next try reach the bank", async () => {
    const { h, alice, order } = await setup();
    await h.control({ bank: "primary", decline_over_cents: 0 });
    await h.control({ bank: "backup", decline_over_cents: 0 });
    await expectStatus(alice.pay.mutate({ orderId: order.id }), 402);
    await h.control({ bank: "primary", decline_over_cents: null });
    await h.control({ bank: "backup", decline_over_cents: null });
    const paid = await alice.pay.mutate({ orderId: order.id });
    const again = await alice.pay.mutate({ orderId: order.id });
    expect(again.payment).toEqual(paid.payment);
    expect(await h.charged("primary")).toHaveLength(1);
    // The derived keys' namespace is the service's own.
    const other = await alice.create.mutate({ items: [{ productId: 1, quantity: 1 }] });
    await expectStatus(
      alice.pay.mutate({ orderId: other.id, idempotencyKey: `~order-${other.id}-declined-0` }),
      400,
    );
  });

  it("scopes keys to a user and an order", async () => {
    const { h, alice, order } = await setup();
    const other = await alice.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
    await alice.pay.mutate({ orderId: order.id, idempotencyKey: "shared-key-1" });
    await expectStatus(
      alice.pay.mutate({ orderId: other.id, idempotencyKey: "shared-key-1" }),
      409,
    );
    // Bob's key of the same text is his own; but alice's order is not his to pay.
    const bob = await h.as("bob");
    const bobs = await bob.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
    expect(
      (await bob.pay.mutate({ orderId: bobs.id, idempotencyKey: "shared-key-1" })).order.status,
    ).toBe("paid");
    await expectStatus(bob.pay.mutate({ orderId: other.id, idempotencyKey: "bob-key-01" }), 404);
    await expectStatus(
      (await h.as("admin")).pay.mutate({ orderId: other.id, idempotencyKey: "adm-key-01" }),
      403,
    );
    await expectStatus(alice.pay.mutate({ orderId: other.id, idempotencyKey: "short" }), 400);
    const cancelled = await alice.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
    await alice.updateStatus.mutate({ id: cancelled.id, status: "cancelled" });
    await expectStatus(
      alice.pay.mutate({ orderId: cancelled.id, idempotencyKey: "cancel-key-1" }),
      409,
    );
  });

  it("charges an order at most once under concurrent pays, across replicas", async () => {
    const { h, alice, order } = await setup({ bankEnv: { PRIMARY_LATENCY_MS: "50" } });
    const replica = await h.client(await h.startOrders(), "alice");
    const calls = Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? replica : alice).pay.mutate({
        orderId: order.id,
        idempotencyKey: i < 4 ? "same-key-001" : `distinct-key-${i}`,
      }),
    );
    const results = await Promise.allSettled(calls);
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const txns = new Set(
      ok.map(
        (r) =>
          (r as PromiseFulfilledResult<{ payment: { transactionId: string } }>).value.payment
            .transactionId,
      ),
    );
    expect(txns.size).toBe(1);
    for (const r of results) {
      if (r.status === "rejected")
        expect((r.reason as { data?: { httpStatus?: number } }).data?.httpStatus).toBe(409);
    }
    expect([...(await h.charged("primary")), ...(await h.charged("backup"))]).toHaveLength(1);
    expect((await alice.byId.query({ id: order.id })).status).toBe("paid");
  });

  it("does not fail over on a decline, and a decline does not trip the breaker", async () => {
    const { h, alice, order } = await setup({ bankEnv: { PRIMARY_DECLINE_OVER_CENTS: "100" } });
    for (const key of ["decline-k1", "decline-k2", "decline-k3", "decline-k4"]) {
      const error = await expectStatus(
        alice.pay.mutate({ orderId: order.id, idempotencyKey: key }),
        402,
      );
      expect(error.data?.code).toBe("PAYMENT_REQUIRED");
    }
    await expectStatus(alice.pay.mutate({ orderId: order.id, idempotencyKey: "decline-k1" }), 402);
    expect(await alice.breakerStatus.query()).toMatchObject({ state: "closed", failures: 0 });
    expect(await h.charged("backup")).toHaveLength(0);
    expect((await alice.byId.query({ id: order.id })).status).toBe("pending");
    expect((await alice.history.query()).history[0]).toMatchObject({
      action: "payment_failed",
      details: { reason: "declined" },
    });
  });
});
