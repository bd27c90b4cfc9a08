import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import {
  expectStatus,
  type Harness,
  type OrdersClient,
  sleep,
  startHarness,
} from "../test/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(options: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness(options);
  const alice = await h.as("alice");
  return { h, alice };
}

async function newOrder(client: OrdersClient) {
  return client.create.mutate({ items: [{ productId: 3, quantity: 1 }] });
}

async function primaryFailNext(h: Harness): Promise<number> {
  const res = await fetch(`${h.bank.url}/control`);
  return ((await res.json()) as { primary: { fail_next: number } }).primary.fail_next;
}

describe("circuit breaker and fallback", () => {
  it("falls back to the backup bank, opens after 3 failures, then stops calling the primary", async () => {
    const { h, alice } = await setup({ bankEnv: { PRIMARY_FAIL_FIRST: "10" } });
    expect(await alice.breakerStatus.query()).toEqual({
      state: "closed",
      failures: 0,
      calls: 0,
      threshold: 3,
      resetAfterS: 1,
      retryInS: null,
    });
    for (let i = 1; i <= 3; i++) {
      const order = await newOrder(alice);
      const paid = await alice.pay.mutate({
        orderId: order.id,
        idempotencyKey: `fallback-${i}-key`,
      });
      expect(paid.payment).toMatchObject({ bank: "backup", usedFallback: true });
      expect(paid.order.payment).toMatchObject({ bank: "backup" });
    }
    const open = await alice.breakerStatus.query();
    expect(open).toMatchObject({ state: "open", failures: 3, calls: 3, threshold: 3 });
    expect(open.retryInS).toBeGreaterThanOrEqual(0);
    expect(open.retryInS).toBeLessThanOrEqual(1);
    expect(await primaryFailNext(h)).toBe(7);

    const order = await newOrder(alice);
    const paid = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "while-open-1" });
    expect(paid.payment.bank).toBe("backup");
    // The open breaker kept the call away from the primary.
    expect(await primaryFailNext(h)).toBe(7);
    expect(await h.charged("primary")).toHaveLength(0);
    expect(await h.charged("backup")).toHaveLength(4);
  });

  it("half-opens after the reset time, and one good call closes it", async () => {
    const { h, alice } = await setup({ bankEnv: { PRIMARY_FAIL_FIRST: "3" } });
    for (let i = 1; i <= 3; i++) {
      await alice.pay.mutate({
        orderId: (await newOrder(alice)).id,
        idempotencyKey: `trip-${i}-key`,
      });
    }
    expect((await alice.breakerStatus.query()).state).toBe("open");
    await sleep(1_150);
    expect(await alice.breakerStatus.query()).toMatchObject({ state: "half_open", retryInS: null });
    const paid = await alice.pay.mutate({
      orderId: (await newOrder(alice)).id,
      idempotencyKey: "recover-key",
    });
    expect(paid.payment).toMatchObject({ bank: "primary", usedFallback: false });
    expect(await alice.breakerStatus.query()).toMatchObject({
      state: "closed",
      failures: 0,
      calls: 4,
    });
    expect(await h.charged("primary")).toHaveLength(1);
  });

  it("re-opens when the half-open trial fails", async () => {
    const { h, alice } = await setup({ bankEnv: { PRIMARY_FAIL_FIRST: "4" } });
    for (let i = 1; i <= 3; i++) {
      await alice.pay.mutate({
        orderId: (await newOrder(alice)).id,
        idempotencyKey: `trip-${i}-key`,
      });
    }
    await sleep(1_150);
    const paid = await alice.pay.mutate({
      orderId: (await newOrder(alice)).id,
      idempotencyKey: "trial-key-1",
    });
    expect(paid.payment.bank).toBe("backup");
    expect((await alice.breakerStatus.query()).state).toBe("open");
    expect(await h.charged("primary")).toHaveLength(0);
  });

  it("answers 503 when both banks are down, keeps the order payable, and the same key later succeeds", async () => {
    const { h, alice } = await setup({ bankEnv: { PRIMARY_DOWN: "true", BACKUP_DOWN: "true" } });
    const order = await newOrder(alice);
    const error = await expectStatus(
      alice.pay.mutate({ orderId: order.id, idempotencyKey: "down-key-1" }),
      503,
    );
    expect(error.message).toMatch(/Both banks are unavailable/);
    expect((error.data as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThanOrEqual(
      1,
    );
    expect((await alice.byId.query({ id: order.id })).status).toBe("pending");
    expect((await alice.history.query()).history[0]).toMatchObject({
      action: "payment_failed",
      details: { reason: "banks_unavailable" },
    });

    await h.control({ bank: "backup", down: false });
    const paid = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "down-key-1" });
    expect(paid.payment).toMatchObject({ bank: "backup", usedFallback: true });
    expect(await h.charged("backup")).toHaveLength(1);
  });
});

describe("unknown outcomes", () => {
  it("treats a timeout as unknown: asks the primary, answers 503, and a retry settles on the primary", async () => {
    const { h, alice } = await setup({
      bankEnv: { PRIMARY_LATENCY_MS: "1200" },
      orders: { bankTimeoutMs: 250 },
    });
    const order = await newOrder(alice);
    const error = await expectStatus(
      alice.pay.mutate({ orderId: order.id, idempotencyKey: "slow-key-01" }),
      503,
    );
    expect(error.message).toMatch(/outcome unknown/);
    // Not failed over: the backup was never asked to charge.
    expect(await h.charged("backup")).toHaveLength(0);
    // Another key cannot start a second charge while the first is unresolved.
    await expectStatus(alice.pay.mutate({ orderId: order.id, idempotencyKey: "slow-key-02" }), 503);

    await sleep(1_200);
    await h.control({ bank: "primary", latency_ms: 0 });
    const paid = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "slow-key-01" });
    expect(paid.payment).toMatchObject({ bank: "primary", usedFallback: false });
    expect(await h.charged("primary")).toHaveLength(1);
    expect(await h.charged("backup")).toHaveLength(0);
    const again = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "slow-key-01" });
    expect(again.payment).toEqual(paid.payment);
  });

  it("fails over only once the primary is known not to have charged", async () => {
    const { h, alice } = await setup({
      bankEnv: { PRIMARY_LATENCY_MS: "500", PRIMARY_FAILURE_RATE: "1" },
      orders: { bankTimeoutMs: 200 },
    });
    const order = await newOrder(alice);
    await expectStatus(alice.pay.mutate({ orderId: order.id, idempotencyKey: "slowfail-01" }), 503);
    await sleep(450);
    // While the primary cannot even be asked, nobody fails over.
    await h.control({ bank: "primary", latency_ms: 0, down: true });
    await expectStatus(alice.pay.mutate({ orderId: order.id, idempotencyKey: "slowfail-01" }), 503);
    expect(await h.charged("backup")).toHaveLength(0);
    // Once it answers that the charge failed, nothing was charged: the backup may charge.
    await h.control({ bank: "primary", down: false });
    const paid = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "slowfail-01" });
    expect(paid.payment).toMatchObject({ bank: "backup", usedFallback: true });
    expect(await h.charged("primary")).toHaveLength(0);
    expect(await h.charged("backup")).toHaveLength(1);
  });

  it("reconciles a payment a crash left behind by asking the banks for its payment id", async () => {
    const { h, alice } = await setup();
    const order = await newOrder(alice);
    // A previous process stored the attempt, called the primary, and died before recording the result.
    const db = createClient({ url: `file:${h.orders.config.dataDir}/orders.db` });
    await db.execute({
      sql: `insert into payments (order_id, user_id, idempotency_key, payment_id, amount_cents, status,
              tried_primary, lease_until, created_at, updated_at)
            values (?, 2, 'crash-key-01', 'pay_crashed00000001', ?, 'pending', 1, ?, ?, ?)`,
      args: [order.id, order.totalCents, Date.now() - 1, Date.now(), Date.now()],
    });
    db.close();
    const charge = await fetch(`${h.bank.url}/primary/charges`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        payment_id: "pay_crashed00000001",
        amount_cents: order.totalCents,
        currency: "EUR",
      }),
    });
    const { transaction_id } = (await charge.json()) as { transaction_id: string };

    // A new key finds the old attempt was charged: the order is paid, not charged again.
    await expectStatus(
      alice.pay.mutate({ orderId: order.id, idempotencyKey: "crash-key-02" }),
      409,
    );
    const same = await alice.pay.mutate({ orderId: order.id, idempotencyKey: "crash-key-01" });
    expect(same.payment).toMatchObject({ transactionId: transaction_id, bank: "primary" });
    expect(same.order.status).toBe("paid");
    expect(await h.charged("primary")).toHaveLength(1);
    expect(await h.charged("backup")).toHaveLength(0);
  });
});
