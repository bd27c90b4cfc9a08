import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { maxSessionsPerUser: 3 } });
});
afterAll(() => h.close());

describe("live sessions per user", () => {
  it("are capped: a login beyond the cap revokes the least recently used ones", async () => {
    const pairs = [];
    for (let i = 0; i < 3; i++) pairs.push(await h.login(SEEDED.maxim));
    // Used just now: the first session is no longer the least recently used.
    const firstAgain = await h.client().refresh.mutate({ refreshToken: pairs[0]!.refreshToken! });
    pairs.push(await h.login(SEEDED.maxim));
    pairs.push(await h.login(SEEDED.maxim));

    const { sessions } = await h.as(pairs[4]!.accessToken).sessions.query();
    expect(sessions).toHaveLength(3);
    for (const revoked of [pairs[1]!, pairs[2]!]) {
      expect(await codeOf(h.client().refresh.mutate({ refreshToken: revoked.refreshToken! }))).toBe(
        "UNAUTHORIZED",
      );
    }
    for (const live of [firstAgain, pairs[3]!, pairs[4]!]) {
      await expect(
        h.client().refresh.mutate({ refreshToken: live.refreshToken! }),
      ).resolves.toHaveProperty("accessToken");
    }
    const { rows } = await h.sql.execute({
      sql: "select count(*) as n from refresh_families where user_id = ? and revoke_reason = 'session_limit'",
      args: [SEEDED.maxim.id],
    });
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it("never revokes the session the login just started, whatever the clock did", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "skewed", password: "skewed-password" });
    const skewed = { username: "skewed", password: "skewed-password" };
    const older = [];
    for (let i = 0; i < 3; i++) older.push(await h.login(skewed));
    // Last used by a clock two minutes ahead (another instance's, or this one's
    // before it stepped back): the other sessions read as used after now.
    await h.sql.execute({
      sql: `update refresh_families set last_used_at = last_used_at + 120000
              where user_id = (select user_id from refresh_families order by id desc limit 1)`,
    });
    const fresh = await h.login(skewed);
    await expect(
      h.client().refresh.mutate({ refreshToken: fresh.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");
    // The cap still holds: the least recently used of the others ended.
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: older[0]!.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    for (const live of older.slice(1)) {
      await expect(
        h.client().refresh.mutate({ refreshToken: live.refreshToken! }),
      ).resolves.toHaveProperty("accessToken");
    }
  });

  it("counts each user on their own", async () => {
    const admin = await h.login(SEEDED.admin);
    for (let i = 0; i < 4; i++) await h.login(SEEDED.user1);
    await expect(
      h.client().refresh.mutate({ refreshToken: admin.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");
  });
});
