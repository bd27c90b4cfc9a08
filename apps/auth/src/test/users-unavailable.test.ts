import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startUsersForTest, type UsersForTest } from "@shop/users/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, type Harness, SEEDED, startHarness } from "./harness.js";

let h: Harness;
let hanging: Server;
let hangingUrl: string;
let deadUrl: string;
let foreignUsers: UsersForTest;
beforeAll(async () => {
  h = await startHarness({ config: { userServiceTimeoutMs: 300 } });
  // Accepts connections and never answers.
  hanging = createServer(() => {});
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

  it("does not count outages as failed logins", async () => {
    await withUsersAt(deadUrl, async () => {
      for (let i = 0; i < 8; i++) await errorOf(h.login(SEEDED.maxim));
    });
    await expect(h.login(SEEDED.maxim)).resolves.toHaveProperty("accessToken");
  });
});
