import { startUsersForTest, type UsersForTest } from "@shop/users/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

let h: Harness;
let slowUsers: UsersForTest;
beforeAll(async () => {
  // Auth waits 300 ms for a password check; a compare at cost 13 takes longer
  // than that, so users, told the time left, drops every check unstarted.
  h = await startHarness({ startUsers: false, config: { userServiceTimeoutMs: 300 } });
  slowUsers = await startUsersForTest({
    jwksUrl: h.jwksUrl,
    issuer: h.config.issuer,
    bcryptCost: 13,
    seedDemoUsers: false,
  });
  h.useUserService(slowUsers.url);
  // The first call also fetches keys on both sides; only the answers after it count.
  await h.post("login", { username: "nobody", password: "warm-up" });
});
afterAll(async () => {
  await slowUsers.close();
  await h.close();
});

describe("when users is too busy to check a password in time", () => {
  it("login answers 503 with users' Retry-After", async () => {
    const response = await h.post("login", { username: "nobody", password: "anything" });
    expect(response.status).toBe(503);
    // Only users' answer carries Retry-After: auth's own timeout would not.
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as {
      error: { message: string; data: { code: string; retryAfterSeconds?: number } };
    };
    expect(body.error.message).toBe("User service unavailable");
    expect(body.error.data).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      retryAfterSeconds: retryAfter,
    });
  });
});
