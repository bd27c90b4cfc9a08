import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayForTest, type TestGateway } from "../testing.js";
import { SEEDED, type Stack, startStack } from "./stack.js";

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ bodyLimitBytes: 2048 });
  token = (await stack.login(SEEDED.user1)).access;
});
afterAll(() => stack.close());

describe("bodies", () => {
  it("refuses an oversized body with 413 on REST and on the relay", async () => {
    const big = JSON.stringify({ username: "x".repeat(5000), password: "p" });
    const rest = await stack.call("POST", "/gateway/auth/login", { body: big });
    expect(rest.status).toBe(413);
    expect(rest.body).toEqual({ message: expect.any(String) });
    const relay = await fetch(`${stack.url}/trpc/auth/login`, { method: "POST", body: big });
    expect(relay.status).toBe(413);
    // The unread body goes with the socket: say so, or a keep-alive client
    // reuses a connection about to close (found by the abuse suite).
    expect(rest.headers.get("connection")).toBe("close");
    expect(relay.headers.get("connection")).toBe("close");
  });

  it("counts a chunked REST body: one past the limit is a 413, one within it is read", async () => {
    const send = (chunks: string[]) =>
      new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
        const url = new URL(stack.url);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: "/gateway/auth/login",
            method: "POST",
            headers: { "content-type": "application/json" },
          },
          (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              body += chunk;
            });
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
            );
          },
        );
        req.on("error", reject);
        // Several writes without a length go out chunked.
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    const big = await send([
      '{"username":"',
      "x".repeat(1500),
      "y".repeat(1500),
      '","password":"p"}',
    ]);
    expect(big).toEqual({
      status: 413,
      connection: "close",
      body: JSON.stringify({ message: "Request body too large" }),
    });
    const small = await send([
      '{"username":"',
      SEEDED.user1.username,
      '","password":"',
      SEEDED.user1.password,
      '"}',
    ]);
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toMatchObject({ user: { username: SEEDED.user1.username } });
  });

  it("reads a body as fetch would: a byte order mark is dropped", async () => {
    const response = await fetch(`${stack.url}/gateway/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify(SEEDED.user1)),
      ]),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ["not JSON", "{username:"],
    ["a JSON array", "[1,2]"],
    ["a JSON string", '"hello"'],
    ["empty", ""],
  ])("answers 400 JSON for a body that is %s", async (_name, body) => {
    const response = await fetch(`${stack.url}/gateway/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });

  it("a malformed tRPC body is the service's 400, relayed as is", async () => {
    const response = await fetch(`${stack.url}/trpc/orders/create`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toMatch(/PARSE_ERROR|BAD_REQUEST/);
  });

  it("wrong-typed fields are a 400 naming the field, never a 500", async () => {
    const response = await stack.call("POST", "/gateway/auth/login", {
      body: { username: 42, password: ["x"] },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/username/);
  });

  it("unknown routes are a JSON 404", async () => {
    const response = await stack.call("GET", "/gateway/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: "Not found" });
  });
});

describe("rate limits", () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startGatewayForTest({
      authUrl: stack.auth.url,
      usersUrl: stack.auth.users!.url,
      ordersUrl: stack.orders.url,
      issuer: stack.auth.config.issuer,
      loginRateLimit: 3,
      refreshRateLimit: 2,
    });
  });
  afterAll(() => limited.close());

  const restLogin = () =>
    fetch(`${limited.url}/gateway/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SEEDED.maxim),
    });
  const trpcLogin = () =>
    fetch(`${limited.url}/trpc/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SEEDED.maxim),
    });

  it("login via REST and tRPC share one per-address budget", async () => {
    expect((await restLogin()).status).toBe(200);
    expect((await trpcLogin()).status).toBe(200);
    expect((await restLogin()).status).toBe(200);
    const rest = await restLogin();
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await rest.json()).toEqual({ message: expect.any(String) });
    const trpc = await trpcLogin();
    expect(trpc.status).toBe(429);
    expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refresh has its own budget; other routes are not throttled", async () => {
    const refresh = (refresh_token: string) =>
      fetch(`${limited.url}/gateway/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token }),
      });
    expect((await refresh("nope-1")).status).toBe(401);
    expect((await refresh("nope-2")).status).toBe(401);
    expect((await refresh("nope-3")).status).toBe(429);
    const batch = await fetch(`${limited.url}/trpc/auth/refresh,refresh?batch=1`, {
      method: "POST",
      body: "{}",
    });
    expect(batch.status).toBe(429);
    const reads = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${limited.url}/gateway/orders`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    expect(reads.every((r) => r.status === 200)).toBe(true);
  });
});
