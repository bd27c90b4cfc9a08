import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startUsersForTest, type UsersForTest } from "@shop/users/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLY_MARGIN_MS } from "../domain/users-client.js";
import { errorOf, type Harness, SEEDED, startHarness } from "./harness.js";

let h: Harness;
let hanging: Server;
let hangingUrl: string;
/** The x-timeout-ms of each call the hanging users service received. */
const timeoutsSeen: Array<string | undefined> = [];
let deadUrl: string;
let foreignUsers: UsersForTest;
beforeAll(async () => {
  h = await startHarness({ config: { userServiceTimeoutMs: 300 } });
  // Accepts connections and never answers.
  hanging = createServer((req) => {
    timeoutsSeen.push(req.headers["x-timeout-ms"] as string | undefined);
  });
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  // A users service that trusts another issuer: it refuses auth's service token.
  foreignUsers = await startUsersForTest({ jwksUrl: h.jwksUrl, issuer: "someone-else" });
});
afterAll(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await foreignUsers.close();
  await h.close();
});

async function withUsersAt<T>(url: string, run: () => Promise<T>): Promise<T> {
  const real = h.config.userServiceUrl;
  h.useUserService(url);
  try {
    return await run();
  } finally {
    h.useUserService(real);
  }
}

describe("when the users service cannot answer", () => {
  it.each([
    ["is down", () => deadUrl],
    ["hangs", () => hangingUrl],
    ["refuses auth's service token", () => foreignUsers.url],
  ])("login answers 503, never a hang or a 401, when it %s", async (_, url) => {
    const error = await withUsersAt(url(), () => errorOf(h.login(SEEDED.user1)));
    expect(error.data?.httpStatus).toBe(503);
    expect(error.message).toBe("User service unavailable");
  });

  it("waits for users no longer than its own caller will wait (x-timeout-ms)", async () => {
    const loginAs = (headers?: Record<string, string>) =>
      errorOf(h.client(headers).login.mutate(SEEDED.user1));
    timeoutsSeen.length = 0;
    await withUsersAt(hangingUrl, async () => {
      // Without the header, auth's own timeout (300 ms here) bounds the call.
      expect((await loginAs()).data?.httpStatus).toBe(503);
      // The gateway will wait 250 ms: users gets that less auth's reply margin.
      expect((await loginAs({ "x-timeout-ms": "250" })).data?.httpStatus).toBe(503);
      // A longer wait than auth's own, or a malformed header, changes nothing.
      expect((await loginAs({ "x-timeout-ms": "60000" })).data?.httpStatus).toBe(503);
      expect((await loginAs({ "x-timeout-ms": "soon" })).data?.httpStatus).toBe(503);
    });
    const [own, caller, longer, malformed] = timeoutsSeen.map(Number);
    expect(own).toBeGreaterThan(250);
    expect(own).toBeLessThanOrEqual(300);
    expect(caller).toBeGreaterThan(0);
    expect(caller).toBeLessThanOrEqual(250 - REPLY_MARGIN_MS);
    expect(longer).toBeGreaterThan(250);
    expect(longer).toBeLessThanOrEqual(300);
    expect(malformed).toBeGreaterThan(250);
    expect(timeoutsSeen).toHaveLength(4);
  });

  it("refresh answers 503 and the session survives the outage", async () => {
    const pair = await h.login(SEEDED.user1);
    const error = await withUsersAt(deadUrl, () =>
      errorOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! })),
    );
    expect(error.data?.httpStatus).toBe(503);
    await expect(
      h.client().refresh.mutate({ refreshToken: pair.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");
  });

  it("the audit log answers 503, never a pass on the token's role alone", async () => {
    const admin = await h.login(SEEDED.admin);
    const error = await withUsersAt(deadUrl, () =>
      errorOf(h.as(admin.accessToken).audit.query({ limit: 1 })),
    );
    expect(error.data?.httpStatus).toBe(503);
  });

  it("does not count outages as failed logins", async () => {
    await withUsersAt(deadUrl, async () => {
      for (let i = 0; i < 8; i++) await errorOf(h.login(SEEDED.maxim));
    });
    await expect(h.login(SEEDED.maxim)).resolves.toHaveProperty("accessToken");
  });
});
