import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";
import { proxyUsers } from "../test/users-proxy.js";

let h: Harness;
/** Runs once, in the middle of the next refresh: after auth read the token, before it answers. */
let duringAccountCheck: (() => Promise<unknown>) | null = null;

let proxy: { close(): Promise<void> };
beforeAll(async () => {
  h = await startHarness();
  // Lets a test act while a refresh waits for the account check.
  proxy = await proxyUsers(h, {
    async beforeRelay(url) {
      if (!url.includes("accountStatus") || !duringAccountCheck) return;
      const hook = duringAccountCheck;
      duringAccountCheck = null;
      await hook();
    },
  });
});
afterAll(async () => {
  await proxy.close();
  await h.close();
});

describe("a session revoked while its refresh is in flight", () => {
  it("mints nothing when logout lands between the token's read and its rotation", async () => {
    const pair = await h.login(SEEDED.user1);
    duringAccountCheck = () => h.client().logout.mutate({ refreshToken: pair.refreshToken! });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    expect(duringAccountCheck).toBeNull();
    // Nothing was claimed: the token is still unused, and its family stays revoked.
    const { rows } = await h.sql.execute({
      sql: `select t.used_at, f.revoked_at from refresh_tokens t
              join refresh_families f on f.id = t.family_id
              where f.id = (select family_id from refresh_tokens where access_jti = ?)`,
      args: [JSON.parse(atob(pair.accessToken.split(".")[1]!)).jti],
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.used_at).toBeNull();
    expect(rows[0]!.revoked_at).not.toBeNull();
  });

  it("mints nothing for a grace-window redemption when logout lands during it", async () => {
    const pair = await h.login(SEEDED.maxim);
    const next = await h.client().refresh.mutate({ refreshToken: pair.refreshToken! });
    duringAccountCheck = () => h.client().logout.mutate({ refreshToken: next.refreshToken! });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    expect(duringAccountCheck).toBeNull();
  });

  it("mints nothing when the user logs out everywhere during the refresh", async () => {
    const pair = await h.login(SEEDED.user1);
    duringAccountCheck = () => h.as(pair.accessToken).logoutEverywhere.mutate();
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
  });

  it("never claims a token after its session was revoked, over many logout/refresh races", async () => {
    for (let i = 0; i < 25; i++) {
      const pair = await h.login(SEEDED.user1);
      const jti = JSON.parse(atob(pair.accessToken.split(".")[1]!)).jti;
      const [refreshed] = await Promise.allSettled([
        h.client().refresh.mutate({ refreshToken: pair.refreshToken! }),
        h.client().logout.mutate({ refreshToken: pair.refreshToken! }),
      ]);
      const { rows } = await h.sql.execute({
        sql: `select t.used_at, f.revoked_at from refresh_tokens t
                join refresh_families f on f.id = t.family_id where t.access_jti = ?`,
        args: [jti],
      });
      const { used_at: usedAt, revoked_at: revokedAt } = rows[0]!;
      expect(revokedAt).not.toBeNull();
      // A refresh that succeeded claimed the token before the revocation, never after.
      if (refreshed.status === "fulfilled")
        expect(Number(usedAt)).toBeLessThanOrEqual(Number(revokedAt));
      else expect(usedAt).toBeNull();
    }
  });
});
