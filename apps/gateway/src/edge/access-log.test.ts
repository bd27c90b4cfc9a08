import { createTestIssuer, type TestIssuer } from "@shop/auth-kit/testing";
import { captureLog } from "@shop/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeService, startFakeService } from "../test/fake-service.js";
import { startGatewayForTest, type TestGateway } from "../testing.js";

const gatewayLog = captureLog("gateway");
let issuer: TestIssuer;
let upstream: FakeService;
let gateway: TestGateway;

beforeAll(async () => {
  issuer = await createTestIssuer();
  upstream = await startFakeService();
  gateway = await startGatewayForTest({
    authUrl: upstream.url,
    usersUrl: upstream.url,
    ordersUrl: upstream.url,
    jwksUrls: [issuer.jwksUrl],
    issuer: issuer.issuer,
    log: gatewayLog.log,
  });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([upstream.close(), issuer.close()]);
});

describe("access log", () => {
  it("writes one line per request, on the relay path and the Hono path", async () => {
    const token = await issuer.mintAccess();
    const calls = [
      ["/trpc/orders/list?input=%7B%22secret%22%3A1%7D", "/trpc/orders/list", 200],
      ["/trpc/orders/list", "/trpc/orders/list", 401],
      ["/nowhere", "/nowhere", 404],
    ] as const;
    for (const [url, path, status] of calls) {
      const id = `log-${status}`;
      const headers: Record<string, string> = { "x-request-id": id };
      if (status === 200) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${gateway.url}${url}`, { headers });
      expect(response.status).toBe(status);
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const lines = gatewayLog.lines.filter((line) => line.reqId === id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: "GET", path, status, ms: expect.any(Number) });
    }
    // Query strings (tRPC inputs) never reach the log.
    expect(JSON.stringify(gatewayLog.lines)).not.toContain("secret");
  });
});

describe("CORS on the REST surface", () => {
  it("answers preflights and responses for configured origins only", async () => {
    const preflight = await fetch(`${gateway.url}/gateway/auth/login`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5000", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5000");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const denied = await fetch(`${gateway.url}/health`, {
      headers: { origin: "https://evil.example" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    expect(denied.headers.get("x-frame-options")).toBe("DENY");
    expect(denied.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});
