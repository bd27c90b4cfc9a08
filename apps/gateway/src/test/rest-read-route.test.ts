import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessVerifier } from "@shop/auth-kit";
import { silentLogger } from "@shop/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCorsPolicy } from "../edge/cors.js";
import { createReadRoute } from "../rest/read-route.js";
import { startGatewayForTest, type TestGateway } from "../testing.js";
import { SEEDED, type Stack, startStack } from "./stack.js";

// The REST reads answered below Hono must answer exactly as the Hono app
// does: the same requests go to a gateway with the read route and one
// without, in front of the same services, and every status, header and body
// must match.

const ORIGIN = "http://localhost:5000";
let stack: Stack;
let fast: TestGateway;
let hono: TestGateway;
let user: string;
let admin: string;
let expired: string;
let ownOrder: number;
let othersOrder: number;
let cursor: string;

beforeAll(async () => {
  stack = await startStack();
  const gateway = (restReadRoute: boolean) =>
    startGatewayForTest({
      authUrl: stack.auth.url,
      usersUrl: stack.auth.users!.url,
      ordersUrl: stack.orders.url,
      issuer: stack.auth.config.issuer,
      corsOrigins: [ORIGIN],
      restReadRoute,
    });
  [fast, hono] = await Promise.all([gateway(true), gateway(false)]);
  user = (await stack.login(SEEDED.user1)).access;
  admin = (await stack.login(SEEDED.admin)).access;
  expired = await stack.auth.signAccessToken({ iat: 1_000_000, exp: 1_000_900 });
  const place = async (token: string) =>
    (
      await stack.call("POST", "/gateway/orders", {
        token,
        body: { product_id: 1, quantity: 2 },
      })
    ).body.order.id as number;
  for (let i = 0; i < 3; i++) ownOrder = await place(user);
  othersOrder = await place(admin);
  cursor = (await stack.call("GET", "/gateway/orders?limit=1", { token: user })).body.next_cursor;
});
afterAll(async () => {
  await Promise.all([fast?.close(), hono?.close()]);
  await stack?.close();
});

type Case = [string, Record<string, string>?, string?];

function cases(): Case[] {
  const as = (token: string, more: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...more,
  });
  return [
    ["/gateway/orders"],
    ["/gateway/orders", { authorization: "Bearer not-a-token" }],
    ["/gateway/orders", { authorization: "Basic dXNlcjE6cGFzc3dvcmQx" }],
    ["/gateway/orders", as(expired)],
    ["/gateway/orders", as(user)],
    ["/gateway/orders", { authorization: `bearer   ${user}  ` }],
    ["/gateway/orders", as(admin)],
    ["/gateway/orders?limit=2", as(user)],
    ["/gateway/orders?limit=0", as(user)],
    ["/gateway/orders?limit=101", as(user)],
    ["/gateway/orders?limit=abc", as(user)],
    ["/gateway/orders?limit=", as(user)],
    ["/gateway/orders?limit=1&limit=3", as(user)],
    ["/gateway/orders?limit", as(user)],
    ["/gateway/orders?other=1&limit=1", as(user)],
    [`/gateway/orders?limit=1&cursor=${cursor}`, as(user)],
    ["/gateway/orders?cursor=bogus", as(user)],
    ["/gateway/orders?limit=1+1", as(user)],
    ["/gateway/orders?cursor=a%20b", as(user)],
    ["/gateway/orders/", as(user)],
    ["/gateway/orders//", as(user)],
    [`/gateway/orders/${ownOrder}`, as(user)],
    [`/gateway/orders/${othersOrder}`, as(user)],
    [`/gateway/orders/${othersOrder}`, as(admin)],
    ["/gateway/orders/999999", as(user)],
    ["/gateway/orders/abc", as(user)],
    ["/gateway/orders/0", as(user)],
    [`/gateway/orders/0${ownOrder}`, as(user)],
    [`/gateway/orders/${ownOrder}/`, as(user)],
    [`/gateway/orders/${ownOrder}/pay`, as(user)],
    [`/gateway/orders/${ownOrder}`],
    ["/gateway/orders/99999999999999999999", as(user)],
    ["/gateway/orders/history", as(user)],
    ["/gateway/orders/history?limit=1", as(admin)],
    ["/gateway/orders/stats", as(user)],
    ["/gateway/products", as(user)],
    ["/gateway/products"],
    ["/gateway/payments/status", as(user)],
    ["/gateway/users/profile", as(user)],
    ["/gateway/users/profile"],
    ["/gateway/users/2", as(admin)],
    ["/gateway/orders", as(user, { origin: ORIGIN })],
    ["/gateway/orders", as(user, { origin: "https://evil.example" })],
    ["/gateway/orders", { origin: ORIGIN }],
    ["/gateway/orders", as(user, { "x-request-id": "given-id.1" })],
    ["/gateway/orders", as(user, { "x-request-id": "not a plain id!" })],
    [
      "/gateway/orders",
      as(user, { "x-forwarded-for": "203.0.113.7", "user-agent": "x".repeat(400) }),
    ],
    ["/gateway/orders", as(user, { "x-user-id": "1", "x-user-role": "admin" })],
    ["/gateway/Orders", as(user)],
    ["/gateway/orders", as(user), "HEAD"],
    ["/gateway/orders", as(user), "DELETE"],
    ["/gateway/orders", as(user), "OPTIONS"],
  ];
}

async function answer(base: string, [path, headers = {}, method = "GET"]: Case) {
  const res = await fetch(`${base}${path}`, { method, headers });
  const given = headers["x-request-id"] === "given-id.1";
  const kept = [...res.headers].filter(
    ([name]) => name !== "date" && (given || name !== "x-request-id"),
  );
  return { status: res.status, headers: kept, body: await res.text() };
}

describe("the REST read route below Hono", () => {
  it("answers every request exactly as the Hono app does", async () => {
    for (const request of cases()) {
      const [mine, theirs] = await Promise.all([
        answer(fast.url, request),
        answer(hono.url, request),
      ]);
      const [path, , method = "GET"] = request;
      expect({ method, path, ...mine }).toEqual({ method, path, ...theirs });
    }
  });

  it("takes the plain reads and leaves everything else to Hono", async () => {
    const verifier = {
      verify: async () => ({ id: 2, username: "u", role: "user", tokenId: "t", expiresAt: 0 }),
    } as unknown as AccessVerifier;
    const route = createReadRoute({
      reads: [
        { path: "/orders", answer: async () => ({ read: "orders" }) },
        { path: "/orders/history", answer: async () => ({ read: "history" }) },
        { path: "/orders/:id", answer: async ({ id }) => ({ read: "order", id: id() }) },
      ],
      verifier,
      cors: createCorsPolicy([]),
      trustedProxies: new Set(),
      bodyLimitBytes: 100,
      log: silentLogger,
    });
    const server: Server = createServer((req, res) => {
      if (!route(req, res)) res.writeHead(599).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const read = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: "Bearer t", ...init.headers },
      });
      return res.status === 599 ? "declined" : await res.json();
    };
    try {
      expect(await read("/gateway/orders?limit=1")).toEqual({ read: "orders" });
      expect(await read("/gateway/orders/history")).toEqual({ read: "history" });
      expect(await read("/gateway/orders/7")).toEqual({ read: "order", id: "7" });
      expect(await read("/gateway/orders/abc")).toEqual({ read: "order", id: "abc" });
      for (const path of [
        "/gateway/orders/",
        "/gateway/orders/7/",
        "/gateway/orders/7/pay",
        "/gateway/orders?limit=1+1",
        "/gateway/orders?cursor=%41",
        "/gateway/%6Frders",
        "/gateway/products",
        "/orders",
      ]) {
        expect(await read(path), path).toBe("declined");
      }
      expect(await read("/gateway/orders", { method: "HEAD" })).toBe("declined");
      expect(await read("/gateway/orders", { method: "POST", body: "{}" })).toBe("declined");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
