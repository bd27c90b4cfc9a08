import { createTestIssuer, type TestIssuer } from "@shop/auth-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeService,
  hang,
  startFakeService,
  stoppedServiceUrl,
} from "../test/fake-service.js";
import { startGatewayForTest } from "../testing.js";

type TrpcError = { error: { code: number; data: { code: string; httpStatus: number } } };

let issuer: TestIssuer;
let auth: FakeService;
let orders: FakeService;
let token: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  [auth, orders] = await Promise.all([startFakeService(), startFakeService()]);
  token = await issuer.mintAccess();
});
afterAll(async () => {
  await Promise.all([auth.close(), orders.close(), issuer.close()]);
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe("upstream failures", () => {
  it("answers 503 fast when a service is stopped, 504 when it hangs", async () => {
    const hung = await startFakeService(hang);
    const down = await stoppedServiceUrl();
    const edge = await startGatewayForTest({
      authUrl: auth.url,
      usersUrl: down,
      ordersUrl: hung.url,
      jwksUrls: [issuer.jwksUrl],
      issuer: issuer.issuer,
      upstreamTimeoutMs: 300,
    });
    try {
      let started = performance.now();
      const stopped = await fetch(`${edge.url}/trpc/users/me`, { headers: bearer(token) });
      expect(stopped.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(((await stopped.json()) as TrpcError).error.data.code).toBe("SERVICE_UNAVAILABLE");

      started = performance.now();
      const slow = await fetch(`${edge.url}/trpc/orders/list`, { headers: bearer(token) });
      expect(slow.status).toBe(504);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(((await slow.json()) as TrpcError).error.data.code).toBe("GATEWAY_TIMEOUT");
    } finally {
      await edge.close();
      await hung.close();
    }
  });

  it("drops the upstream call when the client leaves before the answer", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    // Never answers; notices when the gateway gives up on the request.
    const thinking = await startFakeService((_req, res) => res.once("close", upstreamClosed));
    const edge = await startGatewayForTest({
      authUrl: auth.url,
      usersUrl: auth.url,
      ordersUrl: thinking.url,
      jwksUrls: [issuer.jwksUrl],
      issuer: issuer.issuer,
      upstreamTimeoutMs: 30_000,
    });
    try {
      const client = new AbortController();
      const request = fetch(`${edge.url}/trpc/orders/list`, {
        headers: bearer(token),
        signal: client.signal,
      }).catch((error: Error) => error);
      while (thinking.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
      const left = performance.now();
      client.abort();
      expect(await request).toBeInstanceOf(Error);
      await closed;
      // Long before the 30 s upstream timeout: the gateway aborted the call.
      expect(performance.now() - left).toBeLessThan(2_000);
    } finally {
      await edge.close();
      await thinking.close();
    }
  });

  it("balances over replicas and leaves a stopped one out", async () => {
    const [a, b] = await Promise.all([startFakeService(), startFakeService()]);
    const down = await stoppedServiceUrl();
    const edge = await startGatewayForTest({
      authUrl: auth.url,
      usersUrl: [a.url, down, b.url],
      ordersUrl: orders.url,
      jwksUrls: [issuer.jwksUrl],
      issuer: issuer.issuer,
      replicaEjectMs: 60_000,
    });
    try {
      const statuses = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (await fetch(`${edge.url}/trpc/users/me`, { headers: bearer(token) })).status,
        );
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(a.seen.length).toBeGreaterThanOrEqual(5);
      expect(b.seen.length).toBeGreaterThanOrEqual(5);
    } finally {
      await edge.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
