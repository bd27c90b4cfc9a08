import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PRODUCTS } from "../domain/catalog.js";
import type { OrdersRouter } from "../router.js";
import { expectStatus, type Harness, startHarness, USERS } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("catalog and orders", () => {
  it("serves the seeded catalog, once, whatever the restarts", async () => {
    const alice = await h.as("alice");
    const { products } = await alice.products.query();
    expect(products.map((p) => p.name)).toEqual(SEED_PRODUCTS.map((p) => p.name));
    const again = await h.startOrders();
    const viaReplica = await (await h.client(again, "alice")).products.query();
    expect(viaReplica.products).toEqual(products);
  });

  it("prices an order from the catalog and merges repeated products", async () => {
    const alice = await h.as("alice");
    const [headphones, keyboard] = (await alice.products.query()).products;
    const order = await alice.create.mutate({
      items: [
        { productId: headphones!.id, quantity: 2 },
        { productId: keyboard!.id, quantity: 1 },
        { productId: headphones!.id, quantity: 1 },
      ],
    });
    expect(order).toMatchObject({
      userId: 2,
      status: "pending",
      currency: "EUR",
      totalCents: headphones!.priceCents * 3 + keyboard!.priceCents,
      payment: null,
    });
    expect(order.items).toEqual([
      {
        productId: headphones!.id,
        productName: headphones!.name,
        quantity: 3,
        unitPriceCents: headphones!.priceCents,
        lineTotalCents: headphones!.priceCents * 3,
      },
      expect.objectContaining({ productId: keyboard!.id, lineTotalCents: keyboard!.priceCents }),
    ]);
  });

  it("places an order once per idempotency key, whatever the retries and races", async () => {
    const [alice, bob] = await Promise.all([h.as("alice"), h.as("bob")]);
    const items = [{ productId: 2, quantity: 3 }];
    const first = await alice.create.mutate({ items, idempotencyKey: "place-key-0001" });
    const again = await alice.create.mutate({ items, idempotencyKey: "place-key-0001" });
    expect(again).toEqual(first);
    // The same lines written another way are the same order.
    const merged = [
      { productId: 2, quantity: 1 },
      { productId: 2, quantity: 2 },
    ];
    expect(
      (await alice.create.mutate({ items: merged, idempotencyKey: "place-key-0001" })).id,
    ).toBe(first.id);
    await expectStatus(
      alice.create.mutate({
        items: [{ productId: 1, quantity: 1 }],
        idempotencyKey: "place-key-0001",
      }),
      409,
    );
    // Racing itself, one key places one order.
    const raced = await Promise.all(
      Array.from({ length: 6 }, () =>
        alice.create.mutate({ items, idempotencyKey: "place-key-0002" }),
      ),
    );
    expect(new Set(raced.map((o) => o.id)).size).toBe(1);
    // Keys are per user; without one, every create places an order.
    const bobs = await bob.create.mutate({ items, idempotencyKey: "place-key-0001" });
    expect(bobs.id).not.toBe(first.id);
    const a = await alice.create.mutate({ items });
    const b = await alice.create.mutate({ items });
    expect(a.id).not.toBe(b.id);
    const created = (await alice.history.query({ limit: 100 })).history.filter(
      (e) =>
        e.action === "order_created" &&
        [first.id, raced[0]!.id].includes(e.details.orderId as number),
    );
    expect(created).toHaveLength(2);
    await expectStatus(alice.create.mutate({ items, idempotencyKey: "short" }), 400);
  });

  it("ignores no client price: a price field is refused, as are bad items", async () => {
    const alice = await h.as("alice");
    const send = (items: unknown) => alice.create.mutate({ items } as never);
    await expectStatus(send([{ productId: 1, quantity: 1, unitPriceCents: 1 }]), 400);
    await expectStatus(send([{ productId: 1, quantity: 0 }]), 400);
    await expectStatus(send([{ productId: 1, quantity: 101 }]), 400);
    await expectStatus(send([{ productId: 1, quantity: 1.5 }]), 400);
    await expectStatus(send([]), 400);
    await expectStatus(send([{ productId: 9999, quantity: 1 }]), 400);
    await expectStatus(
      send([
        { productId: 1, quantity: 60 },
        { productId: 1, quantity: 60 },
      ]),
      400,
    );
  });

  it("needs a valid token for orders' audience", async () => {
    const anonymous = await fetch(`${h.orders.url}/trpc/orders/products`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    const otherAudience = await h.issuer.mintAccess({ aud: ["shop:users"] });
    const res = await fetch(`${h.orders.url}/trpc/orders/products`, {
      headers: { authorization: `Bearer ${otherAudience}` },
    });
    expect(res.status).toBe(401);
    // One answer whichever check failed (here the audience), as RFC 6750 has it.
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="shop", error="invalid_token"');
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid or expired token",
    );
    const spoofed = await fetch(`${h.orders.url}/trpc/orders/products`, {
      headers: { "x-user-id": "1", "x-user-role": "admin" },
    });
    expect(spoofed.status).toBe(401);
  });
});

describe("who sees an order", () => {
  it("shows an order to its owner and an admin; to anyone else it does not exist", async () => {
    const [alice, bob, admin] = await Promise.all([h.as("alice"), h.as("bob"), h.as("admin")]);
    const order = await alice.create.mutate({ items: [{ productId: 3, quantity: 1 }] });
    expect((await alice.byId.query({ id: order.id })).id).toBe(order.id);
    expect((await admin.byId.query({ id: order.id })).userId).toBe(2);
    const hidden = await expectStatus(bob.byId.query({ id: order.id }), 404);
    const missing = await expectStatus(bob.byId.query({ id: 987_654 }), 404);
    expect(hidden.message).toBe(missing.message);
    await expectStatus(bob.list.query({ scope: "all" }), 403);
  });
});

describe("pagination", () => {
  it("pages newest first with an opaque cursor, stable while orders are added", async () => {
    const h2 = await startHarness();
    try {
      const bob = await h2.as("bob");
      const created: number[] = [];
      for (let i = 0; i < 7; i++) {
        created.push((await bob.create.mutate({ items: [{ productId: 1, quantity: 1 }] })).id);
      }
      const first = await bob.list.query({ limit: 3 });
      expect(first.total).toBe(7);
      expect(first.orders.map((o) => o.id)).toEqual(created.slice(-3).reverse());
      // New orders arrive between pages: the next page does not shift or repeat.
      await bob.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
      const second = await bob.list.query({ limit: 3, cursor: first.nextCursor! });
      expect(second.orders.map((o) => o.id)).toEqual(created.slice(1, 4).reverse());
      expect(second.total).toBe(8);
      const third = await bob.list.query({ limit: 3, cursor: second.nextCursor! });
      expect(third.orders.map((o) => o.id)).toEqual([created[0]]);
      expect(third.nextCursor).toBeNull();

      const alice = await h2.as("alice");
      expect((await alice.list.query()).total).toBe(0);
      const all = await (await h2.as("admin")).list.query({ scope: "all", limit: 100 });
      expect(all.total).toBe(8);
      await expectStatus(bob.list.query({ cursor: "not-a-cursor" }), 400);
      await expectStatus(bob.list.query({ limit: 101 }), 400);

      // A single query gets the page as the text SQLite built; a batch goes
      // through tRPC's adapter, which serializes it: the same pages either way.
      const batched = createTRPCClient<OrdersRouter>({
        links: [
          httpBatchLink({
            url: `${h2.orders.url}/trpc/orders`,
            headers: { authorization: `Bearer ${await h2.issuer.mintAccess({ ...USERS.bob })}` },
          }),
        ],
      });
      for (const input of [{ limit: 3 }, { limit: 3, cursor: first.nextCursor! }, { limit: 8 }]) {
        const [one, other] = await Promise.all([
          batched.list.query(input),
          batched.products.query(),
        ]);
        expect(other.products.length).toBeGreaterThan(0);
        expect(one).toEqual(await bob.list.query(input));
      }
      expect((await bob.list.query({ limit: 8 })).nextCursor).toBeNull();

      const history = await bob.history.query({ limit: 5 });
      expect(history.total).toBe(8);
      expect(history.history[0]).toMatchObject({
        userId: 3,
        username: "maxim",
        action: "order_created",
      });
      const older = await bob.history.query({ limit: 5, cursor: history.nextCursor! });
      expect(older.history).toHaveLength(3);
      expect(older.history[0]!.id).toBeLessThan(history.history.at(-1)!.id);
    } finally {
      await h2.close();
    }
  });
});
