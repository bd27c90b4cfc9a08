import type { AuthRouter } from "@shop/auth/router";
import { forgedTokens, misissuedTokens } from "@shop/auth-kit/testing";
import { SECURITY_HEADERS, SERVICE_SECURITY_HEADERS } from "@shop/kit";
import { captureLog } from "@shop/kit/testing";
import type { OrdersRouter } from "@shop/orders/router";
import type { UsersRouter } from "@shop/users/router";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import type { JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

const serviceLog = captureLog("services");
let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({}, { log: serviceLog.log });
  token = (await stack.login(SEEDED.user1)).access;
});
afterAll(() => stack.close());

function clients(accessToken?: string) {
  const headers = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  return {
    auth: createTRPCClient<AuthRouter>({
      links: [httpBatchLink({ url: `${stack.url}/trpc/auth`, headers })],
    }),
    users: createTRPCClient<UsersRouter>({
      links: [httpLink({ url: `${stack.url}/trpc/users`, headers })],
    }),
    orders: createTRPCClient<OrdersRouter>({
      links: [httpBatchLink({ url: `${stack.url}/trpc/orders`, headers })],
    }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<AuthRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("security headers", () => {
  it("a service sends a few; the gateway writes the full set over them, relayed or REST", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const direct = await fetch(`${stack.orders.url}/trpc/orders/list`, { headers: auth });
    expect(direct.status).toBe(200);
    for (const [name, value] of Object.entries(SERVICE_SECURITY_HEADERS)) {
      expect(direct.headers.get(name)).toBe(value);
    }
    expect(direct.headers.get("x-frame-options")).toBeNull();
    for (const path of ["/trpc/orders/list", "/gateway/orders", "/trpc/orders/nowhere"]) {
      const relayed = await fetch(`${stack.url}${path}`, { headers: auth });
      await relayed.arrayBuffer();
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect({ path, name, value: relayed.headers.get(name) }).toEqual({ path, name, value });
      }
    }
  });
});

describe("typed clients through the gateway", () => {
  it("logs in, then makes batched protected calls", async () => {
    const session = await clients().auth.login.mutate(SEEDED.maxim);
    expect(session.refreshToken).toEqual(expect.any(String));
    const api = clients(session.accessToken);
    const [products, list, me] = await Promise.all([
      api.orders.products.query(),
      api.orders.list.query({ limit: 5 }),
      api.users.me.query(),
    ]);
    expect(products.products.length).toBeGreaterThan(0);
    expect(list.orders).toEqual(expect.any(Array));
    expect(me.username).toBe("maxim");
  });

  it("batches public auth calls without a token (login + verify in one request)", async () => {
    const api = clients();
    const [session, verdict] = await Promise.all([
      api.auth.login.mutate(SEEDED.admin),
      api.auth.verify.query({ token }),
    ]);
    expect(session.user.role).toBe("admin");
    expect(verdict.valid).toBe(true);
  });

  it("the gateway's 401 reads as a tRPC error for every call of a batch", async () => {
    const api = clients();
    const [a, b] = await Promise.all([
      rejection(api.orders.list.query({})),
      rejection(api.orders.stats.query()),
    ]);
    for (const error of [a, b]) {
      expect(error.data?.code).toBe("UNAUTHORIZED");
      expect(error.data?.httpStatus).toBe(401);
    }
    const sessions = await rejection(clients().auth.sessions.query());
    expect(sessions.data?.httpStatus).toBe(401);
  });
});

describe("token attacks at the gateway", () => {
  it("refuses forged and mis-issued tokens on the relay and the REST surface", async () => {
    const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as {
      keys: JWK[];
    };
    const attacks = [
      ...(await forgedTokens(token, jwks.keys[0]!)),
      ...(await misissuedTokens((o) => stack.auth.signAccessToken(o))),
    ];
    expect(attacks.length).toBeGreaterThan(20);
    for (const attack of attacks) {
      const headers = { authorization: `Bearer ${attack.token}` };
      const relay = await fetch(`${stack.url}/trpc/users/list`, { headers });
      expect(relay.status, `relay: ${attack.name}`).toBe(401);
      const rest = await fetch(`${stack.url}/gateway/users`, { headers });
      expect(rest.status, `REST: ${attack.name}`).toBe(401);
      expect(rest.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("accepts a token signed with auth's live key", async () => {
    const live = await stack.auth.signAccessToken({ sub: "3", username: "maxim" });
    const response = await fetch(`${stack.url}/gateway/users/profile`, {
      headers: { authorization: `Bearer ${live}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("identity headers", () => {
  it("x-user-* headers grant nothing, with or without a token", async () => {
    const spoof = { "x-user-id": "1", "x-user-role": "admin", "x-user-name": "admin" };
    expect((await fetch(`${stack.url}/gateway/users`, { headers: spoof })).status).toBe(401);
    expect((await fetch(`${stack.url}/trpc/users/list`, { headers: spoof })).status).toBe(401);
    const withToken = { ...spoof, authorization: `Bearer ${token}` };
    expect((await fetch(`${stack.url}/gateway/users`, { headers: withToken })).status).toBe(403);
    expect((await fetch(`${stack.url}/trpc/users/list`, { headers: withToken })).status).toBe(403);
    const profile = await fetch(`${stack.url}/gateway/users/profile`, { headers: withToken });
    expect(((await profile.json()) as { id: number }).id).toBe(2);
  });
});

describe("request ids", () => {
  it("reaches the service, is echoed back, and is in the service's log lines", async () => {
    for (const path of ["/gateway/orders", "/trpc/orders/list"]) {
      const id = `trace-${path.replaceAll("/", "-")}`;
      const response = await fetch(`${stack.url}${path}`, {
        headers: { authorization: `Bearer ${token}`, "x-request-id": id },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBe(id);
      expect(
        serviceLog.lines.some((line) => line.reqId === id && line.path === "/trpc/orders/list"),
      ).toBe(true);
    }
  });
});
