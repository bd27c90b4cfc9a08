import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import {
  createTestIssuer,
  forgedTokens,
  misissuedTokens,
  type TestIssuer,
} from "@shop/auth-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeService, startFakeService } from "../test/fake-service.js";
import { startGatewayForTest, type TestGateway } from "../testing.js";

let issuer: TestIssuer;
let auth: FakeService;
let users: FakeService;
let orders: FakeService;
let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  [auth, users, orders] = await Promise.all([
    startFakeService(),
    startFakeService(),
    startFakeService(),
  ]);
  gateway = await startGatewayForTest({
    authUrl: auth.url,
    usersUrl: users.url,
    ordersUrl: orders.url,
    jwksUrls: [issuer.jwksUrl],
    issuer: issuer.issuer,
    loginRateLimit: 3,
    refreshRateLimit: 100,
    bodyLimitBytes: 1024,
    trustedProxies: new Set(),
  });
  token = await issuer.mintAccess({ sub: "7", username: "maxim" });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([auth.close(), users.close(), orders.close(), issuer.close()]);
});

type TrpcError = { error: { code: number; data: { code: string; httpStatus: number } } };

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const last = (service: FakeService) => service.seen.at(-1)!;

describe("token policy", () => {
  it("lets auth's public procedures through without a token, path and query untouched", async () => {
    const before = auth.seen.length;
    const response = await fetch(`${gateway.url}/trpc/auth/login?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ 0: { username: "a", password: "b" } }),
    });
    expect(response.status).toBe(200);
    expect(auth.seen.length).toBe(before + 1);
    expect(last(auth)).toMatchObject({
      method: "POST",
      url: "/trpc/auth/login?batch=1",
      body: JSON.stringify({ 0: { username: "a", password: "b" } }),
    });
  });

  it("refuses a protected call without a token, in tRPC's error shape", async () => {
    const before = orders.seen.length;
    const response = await fetch(`${gateway.url}/trpc/orders/list`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const body = (await response.json()) as TrpcError;
    expect(body.error.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    expect(body.error.code).toBe(-32001);
    expect(orders.seen.length).toBe(before);
  });

  it("relays a protected call with a valid token", async () => {
    const response = await fetch(`${gateway.url}/trpc/orders/list?input=%7B%7D`, {
      headers: bearer(token),
    });
    expect(response.status).toBe(200);
    expect(last(orders).url).toBe("/trpc/orders/list?input=%7B%7D");
    expect(last(orders).headers.authorization).toBe(`Bearer ${token}`);
  });

  it("needs a token for a batch mixing public and protected auth procedures", async () => {
    const mixed = `${gateway.url}/trpc/auth/logout,sessions?batch=1`;
    expect((await fetch(mixed, { method: "POST", body: "{}" })).status).toBe(401);
    const response = await fetch(mixed, { method: "POST", body: "{}", headers: bearer(token) });
    expect(response.status).toBe(200);
    const publicBatch = await fetch(`${gateway.url}/trpc/auth/logout,verify?batch=1`, {
      method: "POST",
      body: "{}",
    });
    expect(publicBatch.status).toBe(200);
  });

  it("refuses every forged token before it reaches a service", async () => {
    const before = users.seen.length;
    for (const attack of await forgedTokens(token, issuer.publicJwk)) {
      const response = await fetch(`${gateway.url}/trpc/users/me`, {
        headers: bearer(attack.token),
      });
      expect(response.status, attack.name).toBe(401);
    }
    expect(users.seen.length).toBe(before);
  });

  it("refuses every mis-issued token signed with the real key", async () => {
    const before = users.seen.length;
    for (const attack of await misissuedTokens((o) => issuer.mintAccess(o))) {
      const response = await fetch(`${gateway.url}/trpc/users/me`, {
        headers: bearer(attack.token),
      });
      expect(response.status, attack.name).toBe(401);
    }
    expect(users.seen.length).toBe(before);
  });

  it("refuses a token whose audience does not name the gateway", async () => {
    const wrongAud = await issuer.mintAccess({ aud: ["shop:orders"] });
    const response = await fetch(`${gateway.url}/trpc/orders/list`, { headers: bearer(wrongAud) });
    expect(response.status).toBe(401);
  });

  it("reads the token only from the Authorization header", async () => {
    const response = await fetch(`${gateway.url}/trpc/orders/list?access_token=${token}`, {
      headers: { cookie: `access_token=${token}` },
    });
    expect(response.status).toBe(401);
  });
});

describe("paths", () => {
  it.each([
    "/trpc/internal/verifyCredentials",
    "/trpc/users/../../internal/trpc/verifyCredentials",
    "/trpc/users/%2e%2e/internal",
    "/trpc/orders/",
    "/trpc/bank/charges",
  ])("answers 404 for %s without relaying", async (path) => {
    const seen = users.seen.length + orders.seen.length + auth.seen.length;
    const response = await rawGet(path, bearer(token));
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error.data.code).toBe("NOT_FOUND");
    expect(users.seen.length + orders.seen.length + auth.seen.length).toBe(seen);
  });

  it("never relays /internal", async () => {
    const response = await fetch(`${gateway.url}/internal/trpc/verifyCredentials`, {
      method: "POST",
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "Not found" });
  });

  it("refuses a batch larger than the services accept", async () => {
    const path = Array.from({ length: 11 }, () => "me").join(",");
    const response = await fetch(`${gateway.url}/trpc/users/${path}?batch=1`, {
      headers: bearer(token),
    });
    expect(response.status).toBe(400);
  });
});

describe("headers", () => {
  it("strips x-user-* and hop-by-hop headers, passes request id and forwarded-for", async () => {
    const response = await rawGet("/trpc/users/me", {
      ...bearer(token),
      "x-user-id": "1",
      "X-User-Role": "admin",
      "x-request-id": "req-123",
      "x-forwarded-for": "6.6.6.6",
      "x-timeout-ms": "99999999",
      "x-secret": "hop",
      connection: "keep-alive, x-secret",
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-request-id"]).toBe("req-123");
    const seen = last(users).headers;
    expect(seen["x-user-id"]).toBeUndefined();
    expect(seen["x-user-role"]).toBeUndefined();
    expect(seen["x-secret"]).toBeUndefined();
    expect(seen["x-request-id"]).toBe("req-123");
    // 127.0.0.1 is not a trusted proxy here: its X-Forwarded-For is not believed.
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    // How long the gateway waits, never what the caller claims.
    expect(seen["x-timeout-ms"]).toBe(String(gateway.config.upstreamTimeoutMs));
  });

  it("tells a service over REST how long the gateway waits", async () => {
    const response = await fetch(`${gateway.url}/gateway/users/profile`, {
      headers: { ...bearer(token), "x-timeout-ms": "1" },
    });
    await response.text();
    expect(last(users).headers["x-timeout-ms"]).toBe(String(gateway.config.upstreamTimeoutMs));
  });

  it("replaces a malformed request id and echoes the one it made", async () => {
    const response = await fetch(`${gateway.url}/trpc/users/me`, {
      headers: { ...bearer(token), "x-request-id": "bad id\twith spaces" },
    });
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(last(users).headers["x-request-id"]).toBe(id);
  });

  it("passes the service's cookies back and adds security headers", async () => {
    const response = await fetch(`${gateway.url}/trpc/auth/refresh`, {
      method: "POST",
      body: "{}",
    });
    expect(response.headers.get("set-cookie")).toBe("a=1; HttpOnly");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers CORS for configured origins only", async () => {
    const allowed = await fetch(`${gateway.url}/trpc/users/me`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5000", "access-control-request-method": "GET" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5000");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const denied = await fetch(`${gateway.url}/trpc/users/me`, {
      headers: { ...bearer(token), origin: "https://evil.example" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("edge limits", () => {
  it("refuses a body over the limit, declared or chunked", async () => {
    const big = JSON.stringify({ 0: { username: "x".repeat(2000), password: "p" } });
    const declared = await fetch(`${gateway.url}/trpc/auth/logout`, { method: "POST", body: big });
    expect(declared.status).toBe(413);
    const chunked = await fetch(`${gateway.url}/trpc/auth/logout`, {
      method: "POST",
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("counts every login of a batch against the per-address budget", async () => {
    const login = (path: string) =>
      fetch(`${gateway.url}/trpc/auth/${path}?batch=1`, { method: "POST", body: "{}" });
    // The first test spent one of the three logins.
    expect((await login("login,login")).status).toBe(200);
    const refused = await login("login");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as TrpcError;
    expect(body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    // Other procedures are not throttled.
    expect((await login("logout")).status).toBe(200);
  });
});

/** A GET with the path sent verbatim (fetch would normalize dot-segments). */
function rawGet(path: string, headers: Record<string, string>) {
  const url = new URL(gateway.url);
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}
