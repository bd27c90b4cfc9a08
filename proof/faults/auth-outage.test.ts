import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStatuses, type Exchange, kidOf, login, request } from "./support/http.js";
import { runWorkers } from "./support/load.js";
import {
  dumpLogsOnFailure,
  type FaultStack,
  phase,
  SEEDED,
  startFaultStack,
} from "./support/stack.js";

// Auth hangs (SIGSTOP), then dies (SIGKILL). Claims: tokens already issued keep
// working for reads, because the gateway and every service verify them
// locally with the keys they hold; login and refresh fail fast and cleanly;
// after a restart the same refresh token works and old tokens stay valid.

const FILE = "auth-outage";
const UPSTREAM_TIMEOUT_MS = 1_500;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack({
    basePort: 7310,
    env: {
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      UPSTREAM_CONNECT_TIMEOUT_MS: "500",
      REPLICA_EJECT_MS: "500",
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

/** Reads with one access token: through the gateway, and straight to users and orders. */
function reads(token: string): Promise<Exchange[]> {
  const { gateway, users, orders } = stack.url;
  return Promise.all([
    request(`${gateway}/gateway/users/profile`, { token }),
    request(`${gateway}/gateway/orders`, { token }),
    request(`${gateway}/gateway/products`, { token }),
    request(`${users}/trpc/users/me`, { token }),
    request(`${orders}/trpc/orders/products`, { token }),
  ]);
}

/** Reads for `ms` with a couple of workers; returns every exchange. */
async function readFor(token: string, ms: number): Promise<Exchange[]> {
  const all: Exchange[] = [];
  await runWorkers({
    workers: 2,
    maxMs: ms,
    pauseMs: 20,
    step: async () => {
      all.push(...(await reads(token)));
    },
  });
  return all;
}

describe("auth outage", () => {
  it("keeps existing tokens working for reads, fails login fast, and refreshes after a restart", async () => {
    dumpLogsOnFailure(stack);
    const gateway = stack.url.gateway;
    const tokens = await login(gateway, SEEDED.user1);
    // Every verifier fetches auth's keys on its first token, as in any running system.
    const warm = await reads(tokens.access);
    expect(warm.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    phase(FILE, "SIGSTOP auth (hung, still accepting connections)");
    stack.signal("auth", "SIGSTOP");
    try {
      const [hungLogin, hungReads] = await Promise.all([
        request(`${gateway}/gateway/auth/login`, { body: SEEDED.maxim }),
        readFor(tokens.access, 1_000),
      ]);
      expect(hungLogin.status).toBe(504);
      expect(hungLogin.contentType).toContain("application/json");
      expect(typeof hungLogin.body.message).toBe("string");
      // The gateway gives up on its own deadline, not the client's.
      expect(hungLogin.ms).toBeLessThan(UPSTREAM_TIMEOUT_MS + 1_000);
      expect(hungReads.length).toBeGreaterThan(10);
      expect(countStatuses(hungReads)).toEqual({ 200: hungReads.length });
    } finally {
      stack.signal("auth", "SIGCONT");
    }

    phase(FILE, "SIGKILL auth");
    stack.signal("auth", "SIGKILL");
    const [downReads, downLogin, downRefresh] = await Promise.all([
      readFor(tokens.access, 2_000),
      request(`${gateway}/gateway/auth/login`, { body: SEEDED.user1 }),
      request(`${gateway}/gateway/auth/refresh`, { body: { refresh_token: tokens.refresh } }),
    ]);
    phase(FILE, `reads while auth is down: ${JSON.stringify(countStatuses(downReads))}`);
    expect(downReads.length).toBeGreaterThan(20);
    expect(countStatuses(downReads)).toEqual({ 200: downReads.length });
    for (const answer of [downLogin, downRefresh]) {
      expect(answer.status).toBe(503);
      expect(answer.contentType).toContain("application/json");
      expect(typeof answer.body.message).toBe("string");
      expect(answer.ms).toBeLessThan(1_000);
    }
    // A login after the reads, when the gateway surely knows auth is gone: still a fast 503.
    const laterLogin = await request(`${gateway}/gateway/auth/login`, { body: SEEDED.user1 });
    expect(laterLogin.status).toBe(503);
    expect(laterLogin.ms).toBeLessThan(1_000);
    const health = await request(`${gateway}/health`);
    expect(health.status).toBe(503);
    expect(health.body.services).toMatchObject({ auth_service: "unhealthy" });

    phase(FILE, "restart auth; refresh with the refresh token issued before the outage");
    await stack.restart("auth");
    const refreshed = await request(`${gateway}/gateway/auth/refresh`, {
      body: { refresh_token: tokens.refresh },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh);
    // The signing key survived the restart: same key, and old tokens stay valid.
    expect(kidOf(refreshed.body.access_token)).toBe(kidOf(tokens.access));
    const afterRestart = [
      ...(await reads(refreshed.body.access_token)),
      ...(await reads(tokens.access)),
    ];
    expect(afterRestart.map((r) => r.status)).toEqual(Array(10).fill(200));
    const relogin = await request(`${gateway}/gateway/auth/login`, { body: SEEDED.maxim });
    expect(relogin.status).toBe(200);
    phase(FILE, "ok");
  });
});
