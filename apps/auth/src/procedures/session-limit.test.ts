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

  it("counts each user on their own", async () => {
    const admin = await h.login(SEEDED.admin);
    for (let i = 0; i < 4; i++) await h.login(SEEDED.user1);
    await expect(
      h.client().refresh.mutate({ refreshToken: admin.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");
  });
});
