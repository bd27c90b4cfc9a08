import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
let adminToken: string;
beforeAll(async () => {
  h = await startHarness({ config: { refreshReuseGraceS: 0 } });
  // One of each kind.
  await codeOf(h.login({ username: "user1", password: "wrong" }));
  const user = await h.login(SEEDED.user1);
  const next = await h.client().refresh.mutate({ refreshToken: user.refreshToken! });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await codeOf(h.client().refresh.mutate({ refreshToken: user.refreshToken! }));
  const second = await h.login(SEEDED.user1);
  await h.client().logout.mutate({ refreshToken: second.refreshToken! });
  const third = await h.login(SEEDED.user1);
  const fourth = await h.login(SEEDED.user1);
  const id = (await h.as(fourth.accessToken).sessions.query()).sessions.find((s) => !s.current)!.id;
  await h.as(fourth.accessToken).revokeSession.mutate({ id });
  await h.as(third.accessToken).logoutEverywhere.mutate();
  expect(next).toBeDefined();
  adminToken = (await h.login(SEEDED.admin)).accessToken;
});
afterAll(() => h.close());

describe("audit", () => {
  it("lists events newest first with the contract's fields", async () => {
    const { events, nextCursor } = await h.as(adminToken).audit.query({});
    expect(nextCursor).toBeNull();
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of [
      "login_succeeded",
      "login_failed",
      "refresh_reuse_detected",
      "logout",
      "logout_everywhere",
      "session_revoked",
    ]) {
      expect(kinds.has(kind as never), kind).toBe(true);
    }
    expect(events[0]!.kind).toBe("login_succeeded"); // the admin's own login, last
    expect(Object.keys(events[0]!).sort()).toEqual(
      ["createdAt", "details", "id", "ipAddress", "kind", "userId", "username"].sort(),
    );
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("records a login's session with it, in the same transaction", async () => {
    const login = await h.login(SEEDED.user1);
    const session = (await h.as(login.accessToken).sessions.query()).sessions.find(
      (s) => s.current,
    )!;
    const { events } = await h.as(adminToken).audit.query({ kind: "login_succeeded", limit: 1 });
    expect(events[0]).toMatchObject({
      userId: SEEDED.user1.id,
      username: "user1",
      details: { sessionId: session.id },
    });
  });

  it("filters by user and by kind", async () => {
    const byUser = await h.as(adminToken).audit.query({ userId: SEEDED.admin.id });
    expect(byUser.events.length).toBeGreaterThan(0);
    expect(byUser.events.every((e) => e.userId === SEEDED.admin.id)).toBe(true);
    const failed = await h.as(adminToken).audit.query({ kind: "login_failed" });
    expect(failed.events).toHaveLength(1);
    expect(failed.events[0]).toMatchObject({
      username: "user1",
      userId: null,
      ipAddress: "127.0.0.1",
    });
  });

  it("pages with a cursor", async () => {
    const all = (await h.as(adminToken).audit.query({ limit: 100 })).events;
    const first = await h.as(adminToken).audit.query({ limit: 3 });
    expect(first.events.map((e) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    const second = await h.as(adminToken).audit.query({ limit: 3, cursor: first.nextCursor! });
    expect(second.events.map((e) => e.id)).toEqual(all.slice(3, 6).map((e) => e.id));
  });

  it("is for admins only, with bounded input", async () => {
    const user = await h.login(SEEDED.maxim);
    expect(await codeOf(h.as(user.accessToken).audit.query({}))).toBe("FORBIDDEN");
    expect(await codeOf(h.client().audit.query({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(h.as(adminToken).audit.query({ limit: 101 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.as(adminToken).audit.query({ kind: "nope" as never }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("asks the users service, not the token, whether the caller is still an active admin", async () => {
    const admin = await h.usersAdmin();
    const demoted = await admin.create.mutate({
      username: "auditor-demoted",
      password: "auditor-password",
      role: "admin",
    });
    const disabled = await admin.create.mutate({
      username: "auditor-disabled",
      password: "auditor-password",
      role: "admin",
    });
    const demotedToken = (
      await h.login({ username: "auditor-demoted", password: "auditor-password" })
    ).accessToken;
    const disabledToken = (
      await h.login({ username: "auditor-disabled", password: "auditor-password" })
    ).accessToken;
    await expect(h.as(demotedToken).audit.query({ limit: 1 })).resolves.toHaveProperty("events");

    await admin.update.mutate({ id: demoted.id, role: "user" });
    await admin.update.mutate({ id: disabled.id, disabled: true });
    // Both access tokens still say role: admin, and stay valid for 15 minutes.
    expect(await codeOf(h.as(demotedToken).audit.query({ limit: 1 }))).toBe("FORBIDDEN");
    expect(await codeOf(h.as(disabledToken).audit.query({ limit: 1 }))).toBe("FORBIDDEN");
    await admin.delete.mutate({ id: disabled.id });
    expect(await codeOf(h.as(disabledToken).audit.query({ limit: 1 }))).toBe("FORBIDDEN");
    await expect(h.as(adminToken).audit.query({ limit: 1 })).resolves.toHaveProperty("events");
  });

  it("records denied calls as authorization_denied events", async () => {
    const user = await h.login(SEEDED.maxim);
    expect(await codeOf(h.as(user.accessToken).audit.query({ limit: 1 }))).toBe("FORBIDDEN");
    const { events } = await h.as(adminToken).audit.query({
      kind: "authorization_denied" as never,
      limit: 100,
    });
    // maxim was refused in a test above too: one event for both, in a window.
    expect(events.filter((e) => e.userId === SEEDED.maxim.id)).toHaveLength(1);
    expect(events.find((e) => e.userId === SEEDED.maxim.id)).toMatchObject({
      username: "maxim",
      ipAddress: "127.0.0.1",
      details: { path: "audit", reason: "role" },
    });
    // The demoted admin of the test above, refused by what users said.
    expect(events.some((e) => (e.details as { reason?: string }).reason === "not_admin_now")).toBe(
      true,
    );
  });
});
