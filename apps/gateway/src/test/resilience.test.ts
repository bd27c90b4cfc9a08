import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayForTest } from "../testing.js";
import { hang, startFakeService } from "./fake-service.js";
import { SEEDED, type Stack, startStack } from "./stack.js";

describe("health and keys", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it("/health reports every service with its latency", async () => {
    const { status, body } = await stack.call("GET", "/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "healthy",
      service: "gateway",
      services: { auth_service: "healthy", user_service: "healthy", orders_service: "healthy" },
      checks: { auth_service: { status: "healthy", latency_ms: expect.any(Number) } },
    });
  });

  it("/.well-known/jwks.json is auth's key set, public halves only", async () => {
    const relayed = await stack.call("GET", "/.well-known/jwks.json");
    const direct = await (await fetch(stack.auth.jwksUrl)).json();
    expect(relayed.status).toBe(200);
    expect(relayed.body).toEqual(direct);
    for (const key of relayed.body.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: "EdDSA", use: "sig" });
      expect(key).not.toHaveProperty("d");
    }
  });

  it("a hung service is a 504 at the timeout, on REST and on the relay", async () => {
    const hung = await startFakeService(hang);
    const edge = await startGatewayForTest({
      authUrl: stack.auth.url,
      usersUrl: stack.auth.users!.url,
      ordersUrl: hung.url,
      issuer: stack.auth.config.issuer,
      upstreamTimeoutMs: 400,
    });
    try {
      const { access } = await stack.login(SEEDED.user1);
      const headers = { authorization: `Bearer ${access}` };
      for (const path of ["/gateway/orders", "/trpc/orders/list"]) {
        const started = performance.now();
        const response = await fetch(`${edge.url}${path}`, { headers });
        const elapsed = performance.now() - started;
        expect(response.status, path).toBe(504);
        expect(elapsed).toBeGreaterThanOrEqual(390);
        expect(elapsed).toBeLessThan(2_000);
        expect(response.headers.get("content-type")).toMatch(/json/);
      }
      const health = await fetch(`${edge.url}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { services: object }).services).toMatchObject({
        orders_service: "unhealthy",
        auth_service: "healthy",
      });
    } finally {
      await edge.close();
      await hung.close();
    }
  });
});

describe("auth down", () => {
  it("reads with tokens issued before keep working; stopped services are a fast 503", async () => {
    const stack = await startStack();
    try {
      const first = await stack.login(SEEDED.maxim);
      const second = await stack.login(SEEDED.maxim);
      // One use fetches the key set at the gateway and at orders.
      expect((await stack.call("GET", "/gateway/orders", { token: first.access })).status).toBe(
        200,
      );
      await stack.auth.close(); // auth and its users service stop

      // A token never seen before, verified from the cached key set.
      expect((await stack.call("GET", "/gateway/orders", { token: second.access })).status).toBe(
        200,
      );
      const relay = await fetch(`${stack.url}/trpc/orders/list`, {
        headers: { authorization: `Bearer ${second.access}` },
      });
      expect(relay.status).toBe(200);

      for (const [method, path, token] of [
        ["GET", "/gateway/users/profile", first.access],
        ["GET", "/trpc/users/me", first.access],
        ["POST", "/gateway/auth/login", undefined],
      ] as const) {
        const started = performance.now();
        const response = await stack.call(method, path, {
          token,
          body: method === "POST" ? SEEDED.maxim : undefined,
        });
        expect(response.status, path).toBe(503);
        expect(performance.now() - started).toBeLessThan(1_000);
      }
      const health = await stack.call("GET", "/health");
      expect(health.status).toBe(503);
      expect(health.body.services).toMatchObject({
        auth_service: "unhealthy",
        user_service: "unhealthy",
        orders_service: "healthy",
      });
    } finally {
      await stack.gateway.close();
      await stack.orders.close();
      await stack.bank.close();
    }
  });
});
