import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStatuses, type Exchange, login, request, type Tokens } from "./support/http.js";
import { runWorkers } from "./support/load.js";
import {
  dumpLogsOnFailure,
  type FaultStack,
  phase,
  SEEDED,
  sleep,
  startFaultStack,
} from "./support/stack.js";

// The orders process is SIGKILLed (no clean shutdown, no flush) while clients
// create orders through the gateway. Claims: the gateway answers a fast JSON
// 503 for orders while the rest keeps working, and every order acknowledged
// with a 201 survives the crash.

const FILE = "orders-crash";
const WORKERS = 4;
/** How long the load keeps hitting the dead service. */
const OUTAGE_MS = 2_000;
/** Acknowledged orders to reach before the kill (or this long at most). */
const ACKED_BEFORE_KILL = 25;
const MAX_LOAD_BEFORE_KILL_MS = 5_000;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack({
    basePort: 7300,
    env: {
      UPSTREAM_CONNECT_TIMEOUT_MS: "500",
      UPSTREAM_TIMEOUT_MS: "3000",
      // A dead replica is retried soon after the restart.
      REPLICA_EJECT_MS: "500",
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

interface Attempt extends Exchange {
  user: "user1" | "maxim";
}

async function allOrderIds(gateway: string, token: string): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const answer = await request(`${gateway}/gateway/orders?limit=100${query}`, { token });
    expect(answer.status).toBe(200);
    ids.push(...answer.body.orders.map((order: { id: number }) => order.id));
    cursor = answer.body.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error("more than 100 pages of orders");
}

describe("orders service crash under load", () => {
  it("answers fast JSON 503s, keeps other routes up, and loses no acknowledged order", async () => {
    dumpLogsOnFailure(stack);
    const gateway = stack.url.gateway;
    const tokens: Record<Attempt["user"], Tokens> = {
      user1: await login(gateway, SEEDED.user1),
      maxim: await login(gateway, SEEDED.maxim),
    };
    const products = await request(`${gateway}/gateway/products`, { token: tokens.user1.access });
    expect(products.status).toBe(200);
    const productIds: number[] = products.body.products.map((p: { id: number }) => p.id);
    expect(productIds.length).toBeGreaterThan(0);

    const attempts: Attempt[] = [];
    const profiles: Exchange[] = [];
    let killAt = 0;
    let stopAt = Number.POSITIVE_INFINITY;
    const acked = () => attempts.filter((a) => a.status === 201).length;

    phase(FILE, `load: ${WORKERS} workers creating orders`);
    const orderLoad = runWorkers({
      workers: WORKERS,
      maxMs: MAX_LOAD_BEFORE_KILL_MS + OUTAGE_MS + 5_000,
      until: () => Date.now() >= stopAt,
      step: async (worker, i) => {
        const user = worker % 2 === 0 ? "user1" : "maxim";
        const answer = await request(`${gateway}/gateway/orders`, {
          token: tokens[user].access,
          body: { product_id: productIds[(worker + i) % productIds.length], quantity: 1 + (i % 3) },
        });
        attempts.push({ ...answer, user });
      },
    });
    // Reads that do not touch orders: the profile (gateway, then users).
    const profileLoad = runWorkers({
      workers: 1,
      maxMs: MAX_LOAD_BEFORE_KILL_MS + OUTAGE_MS + 5_000,
      until: () => Date.now() >= stopAt,
      pauseMs: 50,
      step: async () => {
        profiles.push(
          await request(`${gateway}/gateway/users/profile`, { token: tokens.user1.access }),
        );
      },
    });

    const loadStarted = Date.now();
    while (acked() < ACKED_BEFORE_KILL && Date.now() - loadStarted < MAX_LOAD_BEFORE_KILL_MS) {
      await sleep(20);
    }
    killAt = Date.now();
    stack.signal("orders", "SIGKILL");
    phase(FILE, `SIGKILL orders after ${acked()} acknowledged orders; load continues`);

    await sleep(OUTAGE_MS / 2);
    // Mid-outage: health says which service is down; another orders route fails fast too.
    const health = await request(`${gateway}/health`);
    const list = await request(`${gateway}/gateway/orders`, { token: tokens.maxim.access });
    await sleep(OUTAGE_MS / 2);
    stopAt = Date.now();
    await Promise.all([orderLoad, profileLoad]);

    const before = attempts.filter((a) => a.startedAt < killAt);
    // Past a small margin the process is surely gone (the signal is delivered asynchronously).
    const after = attempts.filter((a) => a.startedAt >= killAt + 100);
    phase(
      FILE,
      `before kill ${JSON.stringify(countStatuses(before))}, after ${JSON.stringify(countStatuses(after))}`,
    );
    expect(acked()).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(WORKERS);
    // Every answer is a 201 or a 503: no hang (status 0), no 500/502/504.
    const unexpected = attempts.filter((a) => a.status !== 201 && a.status !== 503);
    expect(unexpected.map((a) => ({ status: a.status, ms: a.ms, body: a.body }))).toEqual([]);
    expect(after.every((a) => a.status === 503)).toBe(true);
    for (const failed of attempts.filter((a) => a.status === 503)) {
      expect(failed.contentType).toContain("application/json");
      expect(typeof failed.body.message).toBe("string");
      expect(failed.ms).toBeLessThan(1_000);
    }
    expect(health.status).toBe(503);
    expect(health.body.services).toMatchObject({
      orders_service: "unhealthy",
      auth_service: "healthy",
      user_service: "healthy",
    });
    expect(list.status).toBe(503);
    expect(list.ms).toBeLessThan(1_000);
    // Other routes kept working all along.
    expect(profiles.filter((p) => p.startedAt > killAt).length).toBeGreaterThan(5);
    expect(countStatuses(profiles)).toEqual({ 200: profiles.length });

    phase(FILE, "restart orders; checking every acknowledged order");
    await stack.restart("orders");
    for (const user of ["user1", "maxim"] as const) {
      const acknowledged = attempts.filter((a) => a.user === user && a.status === 201);
      for (const a of acknowledged) {
        const order = await request(`${gateway}/gateway/orders/${a.body.order.id}`, {
          token: tokens[user].access,
        });
        expect(order.status).toBe(200);
        expect(order.body).toEqual(a.body.order);
      }
      const stored = new Set(await allOrderIds(gateway, tokens[user].access));
      const ackedIds = acknowledged.map((a) => a.body.order.id as number);
      expect(ackedIds.filter((id) => !stored.has(id))).toEqual([]);
      // Orders nobody acknowledged can only be the ones in flight at the kill.
      const unacknowledged = [...stored].filter((id) => !ackedIds.includes(id));
      expect(unacknowledged.length).toBeLessThanOrEqual(WORKERS);
    }

    // And the service takes orders again.
    const again = await request(`${gateway}/gateway/orders`, {
      token: tokens.user1.access,
      body: { product_id: productIds[0], quantity: 1 },
    });
    expect(again.status).toBe(201);
    phase(FILE, `ok: ${acked()} acknowledged orders all present after the crash`);
  });
});
