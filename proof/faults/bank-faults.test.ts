import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Exchange, type Json, login, request } from "./support/http.js";
import {
  dumpLogsOnFailure,
  type FaultStack,
  phase,
  SEEDED,
  sleep,
  startFaultStack,
} from "./support/stack.js";

// Payments through the gateway's REST pay route while the bank stand-in
// misbehaves: primary failing, flapping, slow, hard down, both down. Claims:
// the breaker opens and recovers, the backup pays, a retry with the same key
// never charges twice, a paid order cancelled while its bank is down is paid
// back once the bank is up, and, from the banks' own records at the end, every
// paid order was charged exactly once, no payment id twice, and only the
// cancelled one refunded.

const FILE = "bank-faults";
// Generous enough for a cold first charge on a busy machine; the slow faults scale from it.
const BANK_TIMEOUT_MS = 1_000;
const BREAKER_RESET_S = 2;
const THRESHOLD = 3;

let stack: FaultStack;
let token: string;
let adminToken: string;
/** Every order this test created, with the answers of its successful payments. */
const created = new Map<number, { totalCents: number; paid: Exchange[] }>();
/** Orders paid, then cancelled: their charge is owed back. */
const refunded = new Map<number, { transactionId: string }>();

beforeAll(async () => {
  stack = await startFaultStack({
    basePort: 7320,
    env: {
      BANK_TIMEOUT_MS: String(BANK_TIMEOUT_MS),
      BREAKER_RESET_S: String(BREAKER_RESET_S),
      BREAKER_THRESHOLD: String(THRESHOLD),
      REFUND_RETRY_S: "0.2",
    },
  });
  token = (await login(stack.url.gateway, SEEDED.user1)).access;
  adminToken = (await login(stack.url.gateway, SEEDED.admin)).access;
});
afterAll(async () => {
  await stack?.stop();
});

async function control(update: Record<string, unknown>): Promise<void> {
  const path = Object.keys(update).length === 0 ? "/control/reset" : "/control";
  const answer = await request(`${stack.url.bank}${path}`, { method: "POST", body: update });
  expect(answer.status).toBe(200);
}

async function createOrder(productId = 1 + (created.size % 4)): Promise<number> {
  const answer = await request(`${stack.url.gateway}/gateway/orders`, {
    token,
    body: { product_id: productId, quantity: 1 + (created.size % 2) },
  });
  expect(answer.status).toBe(201);
  created.set(answer.body.order.id, { totalCents: answer.body.order.total_cents, paid: [] });
  return answer.body.order.id;
}

let keys = 0;
const newKey = () => `fault-pay-${process.pid}-${++keys}`;

async function pay(orderId: number, key: string): Promise<Exchange> {
  const answer = await request(`${stack.url.gateway}/gateway/orders/${orderId}/pay`, {
    method: "POST",
    token,
    headers: { "idempotency-key": key },
  });
  if (answer.status === 200) created.get(orderId)?.paid.push(answer);
  return answer;
}

/** Pays a new order with a new key and expects success from `bank`. */
async function payNew(bank: "primary" | "backup"): Promise<Exchange> {
  const answer = await pay(await createOrder(), newKey());
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.bank).toBe(bank);
  expect(answer.body.order.status).toBe("paid");
  return answer;
}

async function breaker(): Promise<Json> {
  const answer = await request(`${stack.url.gateway}/gateway/payments/status`, { token });
  expect(answer.status).toBe(200);
  return answer.body;
}

function expectJson503(answer: Exchange): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.contentType).toContain("application/json");
  expect(typeof answer.body.message).toBe("string");
}

/** Waits out the breaker's reset period and checks it lets a trial call through. */
async function expectHalfOpen(): Promise<void> {
  await sleep(BREAKER_RESET_S * 1000 + 300);
  expect((await breaker()).state).toBe("half_open");
}

async function orderStatus(orderId: number): Promise<string> {
  const answer = await request(`${stack.url.gateway}/gateway/orders/${orderId}`, { token });
  expect(answer.status).toBe(200);
  return answer.body.status;
}

describe("bank faults", () => {
  it("pays through the primary while it is healthy", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "healthy banks");
    await payNew("primary");
    await payNew("primary");
    expect(await breaker()).toMatchObject({ state: "closed", failures: 0, threshold: THRESHOLD });
  });

  it("opens the breaker on a failing primary, pays through the backup, and recovers", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "primary failing every charge");
    await control({ bank: "primary", failure_rate: 1 });
    for (let i = 0; i < THRESHOLD; i++) await payNew("backup");
    expect((await breaker()).state).toBe("open");
    // Open: the primary is not even asked, the backup still pays.
    await payNew("backup");

    phase(FILE, "primary healthy again: half-open, one trial, closed");
    await control({ bank: "primary", failure_rate: 0 });
    await expectHalfOpen();
    await payNew("primary");
    expect(await breaker()).toMatchObject({ state: "closed", failures: 0 });
  });

  it("survives a flapping primary with racing payments of the same orders", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "primary flapping (half the charges fail), three racing payments per order");
    await control({ bank: "primary", failure_rate: 0.5 });
    for (let i = 0; i < 8; i++) {
      const orderId = await createOrder();
      const [keyA, keyB] = [newKey(), newKey()];
      const answers = await Promise.all([
        pay(orderId, keyA),
        pay(orderId, keyA),
        pay(orderId, keyB),
      ]);
      const statuses = answers.map((a) => a.status);
      // One payment wins; the others are told it is in progress or already done.
      expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const paid = answers.filter((a) => a.status === 200);
      expect(paid.length).toBeGreaterThanOrEqual(1);
      expect(new Set(paid.map((a) => a.body.transaction_id)).size).toBe(1);
      // A late retry with the winning key returns the first result.
      const winner = paid[0]!;
      const replayKey = answers[0]!.status === 200 || answers[1]!.status === 200 ? keyA : keyB;
      const replay = await pay(orderId, replayKey);
      expect(replay.status).toBe(200);
      expect(replay.body.transaction_id).toBe(winner.body.transaction_id);
    }
    await control({ bank: "primary", failure_rate: 0 });
  });

  it("treats a slow primary's timeouts as unknown outcomes and settles them on retry", async () => {
    dumpLogsOnFailure(stack);
    // Let a breaker opened by the flapping close again first.
    if ((await breaker()).state !== "closed") {
      await sleep(BREAKER_RESET_S * 1000 + 300);
      await payNew("primary");
    }
    expect((await breaker()).state).toBe("closed");

    phase(FILE, "primary slow but within the bank timeout");
    await control({ bank: "primary", latency_ms: Math.round(BANK_TIMEOUT_MS / 5) });
    await payNew("primary");
    expect((await breaker()).state).toBe("closed");

    const latencyMs = BANK_TIMEOUT_MS * 2;
    phase(FILE, `primary slower (${latencyMs} ms) than the bank timeout (${BANK_TIMEOUT_MS} ms)`);
    await control({ bank: "primary", latency_ms: latencyMs });
    const unknown: Array<{ orderId: number; key: string }> = [];
    for (let i = 0; i < THRESHOLD; i++) {
      const orderId = await createOrder();
      const key = newKey();
      // The primary may still charge: no failover, 503 "retry with the same key".
      expectJson503(await pay(orderId, key));
      unknown.push({ orderId, key });
    }
    expect((await breaker()).state).toBe("open");
    // Meanwhile new payments go straight to the backup.
    const fast = await payNew("backup");
    expect(fast.ms).toBeLessThan(latencyMs);

    // Once the slow charges completed, the same keys find them: paid once, by the primary.
    await sleep(latencyMs + 200);
    for (const { orderId, key } of unknown) {
      const settled = await pay(orderId, key);
      expect(settled.status, JSON.stringify(settled.body)).toBe(200);
      expect(settled.body.bank).toBe("primary");
    }

    phase(FILE, "primary fast again: breaker recovers");
    await control({ bank: "primary", latency_ms: 0 });
    await expectHalfOpen();
    await payNew("primary");
    expect((await breaker()).state).toBe("closed");
  });

  it("pays through the backup while the primary is hard down", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "primary hard down");
    await control({ bank: "primary", down: true });
    for (let i = 0; i < THRESHOLD + 1; i++) await payNew("backup");
    expect((await breaker()).state).toBe("open");
  });

  it("answers 503 with both banks down, charges nothing, and pays on retry once they are back", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "both banks down");
    await control({ bank: "backup", down: true });
    const orderId = await createOrder();
    const key = newKey();
    const down = await pay(orderId, key);
    expectJson503(down);
    expect(down.ms).toBeLessThan(2_000);
    expect(down.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await orderStatus(orderId)).toBe("pending");
    expectJson503(await pay(orderId, key));

    phase(FILE, "banks back: the same key pays");
    await control({});
    await expectHalfOpen();
    const paid = await pay(orderId, key);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.bank).toBe("primary");
    expect(await breaker()).toMatchObject({ state: "closed", failures: 0 });
  });

  it("pays back a paid order cancelled while its bank is down, once the bank is back", async () => {
    dumpLogsOnFailure(stack);
    phase(FILE, "refund owed while the primary is down");
    const paid = await payNew("primary");
    const orderId = paid.body.order.id as number;
    created.delete(orderId);
    refunded.set(orderId, { transactionId: paid.body.transaction_id });
    await control({ bank: "primary", down: true });
    const cancel = await request(`${stack.url.gateway}/gateway/orders/${orderId}`, {
      method: "PUT",
      token: adminToken,
      body: { status: "cancelled" },
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const chargeOf = async () =>
      (await request(`${stack.url.bank}/primary/charges`)).body.charges.find(
        (c: Json) => c.transaction_id === paid.body.transaction_id,
      );
    // Retried every 0.2 s against a bank that is down: still owed.
    await sleep(1_000);
    expect((await chargeOf()).refunded_at).toBeNull();

    phase(FILE, "primary back: the refund is paid");
    await control({});
    const deadline = Date.now() + 5_000;
    while ((await chargeOf()).refunded_at === null && Date.now() < deadline) await sleep(100);
    expect((await chargeOf()).refunded_at).not.toBeNull();
    const history = await request(`${stack.url.gateway}/gateway/orders/history`, { token });
    const completed = history.body.history.filter(
      (entry: Json) => entry.action === "refund_completed" && entry.details.orderId === orderId,
    );
    expect(completed).toHaveLength(1);
  });

  it("shows in the banks' own records that every paid order was charged exactly once", async () => {
    dumpLogsOnFailure(stack);
    const [primary, backup] = await Promise.all(
      (["primary", "backup"] as const).map((bank) => request(`${stack.url.bank}/${bank}/charges`)),
    );
    expect(primary!.status).toBe(200);
    expect(backup!.status).toBe(200);
    const charges: Json[] = [...primary!.body.charges, ...backup!.body.charges];
    phase(
      FILE,
      `audit: ${created.size} orders, ${primary!.body.charges.length} primary + ${backup!.body.charges.length} backup charges`,
    );

    // No payment id charged twice, in one bank or across both.
    const paymentIds = charges.map((c) => c.payment_id);
    expect(new Set(paymentIds).size).toBe(paymentIds.length);
    expect(charges.every((c) => c.status === "succeeded")).toBe(true);

    // Every order this test made is paid, by exactly one charge of its amount.
    for (const [orderId, { totalCents, paid }] of created) {
      const answer = await request(
        `${stack.url.gateway}/trpc/orders/byId?input=${encodeURIComponent(JSON.stringify({ id: orderId }))}`,
        { token },
      );
      expect(answer.status).toBe(200);
      const order = answer.body.result.data;
      expect(order.status).toBe("paid");
      const matching = charges.filter((c) => c.transaction_id === order.payment.transactionId);
      expect(matching).toHaveLength(1);
      expect(matching[0]).toMatchObject({ bank: order.payment.bank, amount_cents: totalCents });
      // Every 200 the client saw named that same charge.
      expect(paid.length).toBeGreaterThan(0);
      expect(new Set(paid.map((p) => p.body.transaction_id))).toEqual(
        new Set([order.payment.transactionId]),
      );
    }
    // The cancelled orders' charges, and only those, were paid back.
    for (const [orderId, { transactionId }] of refunded) {
      const answer = await request(`${stack.url.gateway}/gateway/orders/${orderId}`, { token });
      expect(answer.body.status).toBe("cancelled");
      expect(charges.filter((c) => c.transaction_id === transactionId)).toMatchObject([
        { refunded_at: expect.any(String) },
      ]);
    }
    const refundedIds = new Set([...refunded.values()].map((r) => r.transactionId));
    expect(
      charges
        .filter((c) => !refundedIds.has(c.transaction_id))
        .every((c) => c.refunded_at === null),
    ).toBe(true);
    // And nothing else was charged: one charge per order paid, no more.
    expect(charges).toHaveLength(created.size + refunded.size);
  });
});
