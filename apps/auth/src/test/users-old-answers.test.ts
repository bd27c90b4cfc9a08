import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, type Harness, SEEDED, startHarness } from "./harness.js";
import { proxyUsers } from "./users-proxy.js";

let h: Harness;
let proxy: { close(): Promise<void> };
/** While true, users' answers lose their sessionStamp, as a users from before it answered. */
let strip = false;
beforeAll(async () => {
  h = await startHarness();
  proxy = await proxyUsers(h, {
    rewrite: (body) => (strip ? body.replace(/,?"sessionStamp":\d+/g, "") : body),
  });
});
afterAll(async () => {
  await proxy.close();
  await h.close();
});

const refresh = (refreshToken: string) => h.client().refresh.mutate({ refreshToken });

describe("users answering without sessionStamp (auth deployed first)", () => {
  it("is users unavailable (503): a refresh keeps its session, a login does not fail with a 500", async () => {
    const pair = await h.login(SEEDED.user1);
    strip = true;
    try {
      const refused = await errorOf(refresh(pair.refreshToken!));
      expect(refused.data?.httpStatus).toBe(503);
      expect(refused.message).toBe("User service unavailable");
      const login = await errorOf(h.login(SEEDED.maxim));
      expect(login.data?.httpStatus).toBe(503);
      expect(login.message).toBe("User service unavailable");
    } finally {
      strip = false;
    }
    // Users answers in full again: the session was never ended.
    await expect(refresh(pair.refreshToken!)).resolves.toHaveProperty("accessToken");
    const { rows } = await h.sql.execute(
      "select count(*) as n from audit_events where kind = 'refresh_denied'",
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
