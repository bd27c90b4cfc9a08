import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("sessions and revokeSession", () => {
  it("lists the caller's live sessions and marks the current one", async () => {
    const a = await h.client({ "user-agent": "tab-a" }).login.mutate(SEEDED.maxim);
    const b = await h.client({ "user-agent": "tab-b" }).login.mutate(SEEDED.maxim);
    const { sessions } = await h.as(b.accessToken).sessions.query();
    expect(sessions).toHaveLength(2);
    const current = sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]!.userAgent).toBe("tab-b");
    expect(Object.keys(sessions[0]!).sort()).toEqual(
      ["createdAt", "current", "expiresAt", "id", "ipAddress", "lastUsedAt", "userAgent"].sort(),
    );
    // After a refresh, the new access token still points at its session.
    const refreshed = await h.client().refresh.mutate({ refreshToken: a.refreshToken! });
    const again = await h.as(refreshed.accessToken).sessions.query();
    expect(again.sessions.find((s) => s.current)!.userAgent).toBe("tab-a");
  });

  it("revokes one's own session, not someone else's", async () => {
    const mine = await h.login(SEEDED.user1);
    const theirs = await h.login(SEEDED.admin);
    const theirId = (await h.as(theirs.accessToken).sessions.query()).sessions.find(
      (s) => s.current,
    )!.id;
    expect(await h.as(mine.accessToken).revokeSession.mutate({ id: theirId })).toEqual({
      revoked: false,
    });
    await expect(
      h.client().refresh.mutate({ refreshToken: theirs.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");

    const other = await h.login(SEEDED.user1);
    const otherId = (await h.as(other.accessToken).sessions.query()).sessions.find(
      (s) => s.current,
    )!.id;
    expect(await h.as(mine.accessToken).revokeSession.mutate({ id: otherId })).toEqual({
      revoked: true,
    });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: other.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    const listed = await h.as(mine.accessToken).sessions.query();
    expect(listed.sessions.some((s) => s.id === otherId)).toBe(false);
  });
});

describe("logout and logoutEverywhere", () => {
  it("logout ends the session; an unknown token still answers 200", async () => {
    const pair = await h.login(SEEDED.user1);
    expect(await h.client().logout.mutate({ refreshToken: pair.refreshToken! })).toEqual({
      message: "Logged out",
    });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    await expect(h.client().logout.mutate({ refreshToken: "C".repeat(43) })).resolves.toEqual({
      message: "Logged out",
    });
    await expect(h.client().logout.mutate({})).resolves.toEqual({ message: "Logged out" });
  });

  it("logoutEverywhere ends every session of the caller and only theirs", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "roamer", password: "roamer-password" });
    const creds = { username: "roamer", password: "roamer-password" };
    const pairs = [await h.login(creds), await h.login(creds), await h.login(creds)];
    const bystander = await h.login(SEEDED.user1);
    const result = await h.as(pairs[0]!.accessToken).logoutEverywhere.mutate();
    expect(result).toEqual({ revokedSessions: 3 });
    for (const pair of pairs) {
      expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
        "UNAUTHORIZED",
      );
    }
    await expect(
      h.client().refresh.mutate({ refreshToken: bystander.refreshToken! }),
    ).resolves.toHaveProperty("accessToken");
  });

  it("requires a signed-in caller", async () => {
    expect(await codeOf(h.client().logoutEverywhere.mutate())).toBe("UNAUTHORIZED");
    expect(await codeOf(h.client().sessions.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(h.client().revokeSession.mutate({ id: 1 }))).toBe("UNAUTHORIZED");
  });
});
