import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

let stack: Stack;
let admin: string;
let user1: string;
let maxim: string;
beforeAll(async () => {
  stack = await startStack();
  [admin, user1, maxim] = (
    await Promise.all([
      stack.login(SEEDED.admin),
      stack.login(SEEDED.user1),
      stack.login(SEEDED.maxim),
    ])
  ).map((pair) => pair.access) as [string, string, string];
});
afterAll(() => stack.close());
afterEach(() => bank("/control/reset", {}));

const ORDER_KEYS = [
  "created_at",
  "id",
  "price",
  "price_cents",
  "product_name",
  "quantity",
  "status",
  "total",
  "total_cents",
  "user_id",
];

function bank(path: string, body: unknown) {
  return fetch(`${stack.bank.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function newOrder(
  token: string,
  body: Record<string, unknown> = { product_id: 2, quantity: 2 },
) {
  const response = await stack.call("POST", "/gateway/orders", { token, body });
  expect(response.status).toBe(201);
  return response.body.order as { id: number; total_cents: number };
}

describe("orders over REST", () => {
  it("every orders route needs a token", async () => {
    for (const [method, path] of [
      ["GET", "/gateway/products"],
      ["POST", "/gateway/orders"],
      ["GET", "/gateway/orders"],
      ["GET", "/gateway/orders/1"],
      ["PUT", "/gateway/orders/1"],
      ["POST", "/gateway/orders/1/pay"],
      ["GET", "/gateway/orders/history"],
      ["GET", "/gateway/orders/stats"],
      ["GET", "/gateway/payments/status"],
    ] as const) {
      const response = await stack.call(method, path);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("GET /products lists the catalog in euros and cents", async () => {
    const { status, body } = await stack.call("GET", "/gateway/products", { token: user1 });
    expect(status).toBe(200);
    expect(body.products[0]).toMatchObject({
      id: expect.any(Number),
      name: expect.any(String),
      price: expect.any(Number),
      price_cents: expect.any(Number),
    });
    for (const p of body.products) expect(p.price).toBe(p.price_cents / 100);
  });

  it("POST /orders prices from the catalog, by id or name; a client price is ignored", async () => {
    const byId = await stack.call("POST", "/gateway/orders", {
      token: user1,
      body: { product_id: 2, quantity: 3, price: 0.01 },
    });
    expect(byId.status).toBe(201);
    expect(Object.keys(byId.body.order).sort()).toEqual(ORDER_KEYS);
    expect(byId.body.order).toMatchObject({
      user_id: 2,
      product_name: "Mechanical Keyboard",
      quantity: 3,
      price: 89.5,
      price_cents: 8950,
      total: 268.5,
      total_cents: 26850,
      status: "pending",
    });
    const byName = await stack.call("POST", "/gateway/orders", {
      token: user1,
      body: { product_name: "usb-c hub 7-in-1", quantity: "1" },
    });
    expect(byName.status).toBe(201);
    expect(byName.body.order).toMatchObject({
      product_name: "USB-C Hub 7-in-1",
      total_cents: 3999,
    });
  });

  it("POST /orders with an Idempotency-Key places one order, however often it is sent", async () => {
    const send = (key: string, quantity = 1) =>
      stack.call("POST", "/gateway/orders", {
        token: maxim,
        body: { product_id: 3, quantity },
        headers: { "idempotency-key": key },
      });
    const first = await send("rest-order-key-1");
    const again = await send("rest-order-key-1");
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.order.id).toBe(first.body.order.id);
    expect((await send("rest-order-key-1", 2)).status).toBe(409);
    expect((await send("short")).status).toBe(400);
    expect((await send("rest-order-key-2")).body.order.id).not.toBe(first.body.order.id);
  });

  it.each([
    [{ product_id: 2, quantity: 0 }],
    [{ product_id: 2, quantity: -1 }],
    [{ product_id: 2, quantity: 1.5 }],
    [{ product_id: 2, quantity: 101 }],
    [{ product_id: 999, quantity: 1 }],
    [{ product_name: "Flux capacitor", quantity: 1 }],
    [{ quantity: 1 }],
    [{ product_id: "two", quantity: 1 }],
  ])("POST /orders refuses %j with 400", async (body) => {
    const response = await stack.call("POST", "/gateway/orders", { token: user1, body });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(expect.any(String));
  });

  it("GET /orders lists the caller's own orders, newest first, in pages", async () => {
    const mine = await newOrder(maxim);
    await newOrder(user1);
    const list = await stack.call("GET", "/gateway/orders?limit=1", { token: maxim });
    expect(list.status).toBe(200);
    expect(list.body.orders).toHaveLength(1);
    expect(list.body.orders[0].id).toBe(mine.id);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const all = await stack.call("GET", "/gateway/orders", { token: maxim });
    expect(all.body.orders.every((o: { user_id: number }) => o.user_id === 3)).toBe(true);
    expect((await stack.call("GET", "/gateway/orders?limit=0", { token: maxim })).status).toBe(400);
  });

  it("GET /orders/:id: owner or admin; someone else's order is a 404", async () => {
    const order = await newOrder(user1);
    const own = await stack.call("GET", `/gateway/orders/${order.id}`, { token: user1 });
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(order.id);
    expect((await stack.call("GET", `/gateway/orders/${order.id}`, { token: admin })).status).toBe(
      200,
    );
    expect((await stack.call("GET", `/gateway/orders/${order.id}`, { token: maxim })).status).toBe(
      404,
    );
    expect((await stack.call("GET", "/gateway/orders/999999", { token: user1 })).status).toBe(404);
  });

  it("PUT /orders/:id: owner cancels a pending order; admin moves it along; illegal moves are 409", async () => {
    const order = await newOrder(user1);
    const bad = await stack.call("PUT", `/gateway/orders/${order.id}`, {
      token: user1,
      body: { status: "teleported" },
    });
    expect(bad.status).toBe(400);
    const ship = await stack.call("PUT", `/gateway/orders/${order.id}`, {
      token: user1,
      body: { status: "shipped" },
    });
    expect(ship.status).toBe(403);
    const cancel = await stack.call("PUT", `/gateway/orders/${order.id}`, {
      token: user1,
      body: { status: "cancelled" },
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toEqual({
      message: expect.any(String),
      order_id: order.id,
      status: "cancelled",
    });
    const revive = await stack.call("PUT", `/gateway/orders/${order.id}`, {
      token: admin,
      body: { status: "paid" },
    });
    expect(revive.status).toBe(409);
    const other = await stack.call("PUT", `/gateway/orders/${order.id}`, {
      token: maxim,
      body: { status: "cancelled" },
    });
    expect(other.status).toBe(404);
  });

  it("POST /orders/:id/pay charges once; a retry returns the first result", async () => {
    const order = await newOrder(user1);
    const pay = () =>
      stack.call("POST", `/gateway/orders/${order.id}/pay`, {
        token: user1,
        headers: { "idempotency-key": `test-key-${order.id}` },
      });
    const first = await pay();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      message: expect.any(String),
      transaction_id: expect.any(String),
      bank: "primary",
      order: { id: order.id, status: "paid" },
    });
    const second = await pay();
    expect(second.status).toBe(200);
    expect(second.body.transaction_id).toBe(first.body.transaction_id);
    const charges = (await (await fetch(`${stack.bank.url}/primary/charges`)).json()) as {
      charges: Array<{ amount_cents: number }>;
    };
    const ours = charges.charges.filter(
      (c: { amount_cents: number }) => c.amount_cents === order.total_cents,
    );
    expect(ours.length).toBeGreaterThanOrEqual(1);
  });

  it("POST /orders/:id/pay without Idempotency-Key derives one: a retry still charges once", async () => {
    const order = await newOrder(maxim, { product_id: 1, quantity: 1 });
    const first = await stack.call("POST", `/gateway/orders/${order.id}/pay`, { token: maxim });
    expect(first.status).toBe(200);
    const retry = await stack.call("POST", `/gateway/orders/${order.id}/pay`, { token: maxim });
    expect(retry.status).toBe(200);
    expect(retry.body.transaction_id).toBe(first.body.transaction_id);
    const malformed = await stack.call("POST", `/gateway/orders/${order.id}/pay`, {
      token: maxim,
      headers: { "idempotency-key": "short" },
    });
    expect(malformed.status).toBe(400);
  });

  it("POST /orders/:id/pay without Idempotency-Key tries again after a decline, then replays the payment", async () => {
    const order = await newOrder(maxim, { product_id: 4, quantity: 3 });
    const pay = () => stack.call("POST", `/gateway/orders/${order.id}/pay`, { token: maxim });
    await bank("/control", { bank: "primary", decline_over_cents: 1000 });
    await bank("/control", { bank: "backup", decline_over_cents: 1000 });
    expect((await pay()).status).toBe(402);
    expect((await pay()).status).toBe(402);
    const history = await stack.call("GET", "/gateway/orders/history?limit=100", { token: maxim });
    const declines = history.body.history.filter(
      (h: { action: string; details: { orderId?: number } }) =>
        h.action === "payment_failed" && h.details.orderId === order.id,
    );
    // Two attempts reached the bank: the second was not the first decline replayed.
    expect(declines).toHaveLength(2);
    await bank("/control/reset", {});
    const paid = await pay();
    expect(paid.status).toBe(200);
    const retry = await pay();
    expect(retry.status).toBe(200);
    expect(retry.body.transaction_id).toBe(paid.body.transaction_id);
  });

  it("POST /orders/:id/pay refuses a client key in the derived keys' namespace", async () => {
    const order = await newOrder(maxim, { product_id: 1, quantity: 1 });
    const response = await stack.call("POST", `/gateway/orders/${order.id}/pay`, {
      token: maxim,
      headers: { "idempotency-key": `~order-${order.id}-declined-0` },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain("~");
  });

  it("POST /orders/:id/pay without a key costs one lookup, and someone else's order is a 404", async () => {
    // The derived key is orders' business, after its ownership check.
    const order = await newOrder(maxim, { product_id: 1, quantity: 1 });
    const other = await stack.call("POST", `/gateway/orders/${order.id}/pay`, { token: user1 });
    expect(other.status).toBe(404);
  });

  it("POST /orders/:id/pay: 402 declined, 409 not payable, 503 both banks down", async () => {
    const declined = await newOrder(user1, { product_id: 4, quantity: 3 });
    await bank("/control", { bank: "primary", decline_over_cents: 1000 });
    await bank("/control", { bank: "backup", decline_over_cents: 1000 });
    const refused = await stack.call("POST", `/gateway/orders/${declined.id}/pay`, {
      token: user1,
    });
    expect(refused.status).toBe(402);

    const cancelled = await newOrder(user1);
    await stack.call("PUT", `/gateway/orders/${cancelled.id}`, {
      token: user1,
      body: { status: "cancelled" },
    });
    const notPayable = await stack.call("POST", `/gateway/orders/${cancelled.id}/pay`, {
      token: user1,
    });
    expect(notPayable.status).toBe(409);

    await bank("/control/reset", {});
    await bank("/control", { bank: "primary", down: true });
    await bank("/control", { bank: "backup", down: true });
    const downOrder = await newOrder(user1);
    const down = await stack.call("POST", `/gateway/orders/${downOrder.id}/pay`, { token: user1 });
    expect(down.status).toBe(503);
    expect(down.body.message).toEqual(expect.any(String));
    expect(
      (await stack.call("POST", `/gateway/orders/${downOrder.id}/pay`, { token: maxim })).status,
    ).toBe(404);
  });

  it("GET /orders/history, /orders/stats and /payments/status in snake_case", async () => {
    const history = await stack.call("GET", "/gateway/orders/history", { token: user1 });
    expect(history.status).toBe(200);
    expect(history.body.total).toBeGreaterThan(0);
    expect(Object.keys(history.body.history[0]).sort()).toEqual([
      "action",
      "details",
      "id",
      "timestamp",
      "user_id",
      "username",
    ]);
    expect(history.body.history.every((h: { user_id: number }) => h.user_id === 2)).toBe(true);

    const stats = await stack.call("GET", "/gateway/orders/stats", { token: user1 });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      user_id: 2,
      total_orders: expect.any(Number),
      total_spent: expect.any(Number),
      orders_by_status: expect.any(Object),
    });

    const breaker = await stack.call("GET", "/gateway/payments/status", { token: user1 });
    expect(breaker.status).toBe(200);
    expect(breaker.body).toMatchObject({
      state: expect.stringMatching(/^(closed|open|half_open)$/),
      failures: expect.any(Number),
      calls: expect.any(Number),
      threshold: expect.any(Number),
      reset_after_s: expect.any(Number),
    });
  });
});
