import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
let strict: Harness;
beforeAll(async () => {
  [h, strict] = await Promise.all([
    startHarness(),
    // No grace: any second redemption is reuse.
    startHarness({ config: { refreshReuseGraceS: 0 } }),
  ]);
});
afterAll(() => Promise.all([h.close(), strict.close()]));

async function auditKinds(harness: Harness, kind: string) {
  const { rows } = await harness.sql.execute({
    sql: "select user_id, details from audit_events where kind = ?",
    args: [kind],
  });
  return rows;
}

describe("refresh", () => {
  it("rotates: a new pair, the same absolute expiry, the account re-read", async () => {
    const first = await h.login(SEEDED.user1);
    const second = await h.client().refresh.mutate({ refreshToken: first.refreshToken! });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshExpiresAt).toBe(first.refreshExpiresAt);
    expect(second.user).toMatchObject({ id: SEEDED.user1.id, username: "user1", role: "user" });
    const third = await h.client().refresh.mutate({ refreshToken: second.refreshToken! });
    expect(third.refreshExpiresAt).toBe(first.refreshExpiresAt);
  });

  it("stores only hashes of refresh tokens", async () => {
    const pair = await h.login(SEEDED.maxim);
    const { rows } = await h.sql.execute("select token_hash, successor_sealed from refresh_tokens");
    const text = JSON.stringify(rows);
    expect(text).not.toContain(pair.refreshToken!);
  });

  it("gives racing redemptions of one token (tabs) the same successor", async () => {
    const pair = await h.login(SEEDED.user1);
    const others = await Promise.all([h.login(SEEDED.maxim), h.login(SEEDED.admin)]);
    const racing = await Promise.all([
      ...Array.from({ length: 6 }, () =>
        h.client().refresh.mutate({ refreshToken: pair.refreshToken! }),
      ),
      // Unrelated writes at the same moment must not stall or fail the race.
      ...others.map((o) => h.client().refresh.mutate({ refreshToken: o.refreshToken! })),
      h.login(SEEDED.maxim),
    ]);
    const successors = new Set(racing.slice(0, 6).map((r) => r.refreshToken));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    // The one successor keeps working, so no tab was logged out.
    await expect(h.client().refresh.mutate({ refreshToken: successor! })).resolves.toMatchObject({
      user: { id: SEEDED.user1.id },
    });
  });

  it("gives a second redemption inside the grace window the same successor", async () => {
    const pair = await h.login(SEEDED.user1);
    const a = await h.client().refresh.mutate({ refreshToken: pair.refreshToken! });
    const b = await h.client().refresh.mutate({ refreshToken: pair.refreshToken! });
    expect(b.refreshToken).toBe(a.refreshToken);
  });

  it("treats reuse after the grace window as theft: the whole family is revoked and audited", async () => {
    const pair = await strict.login(SEEDED.user1);
    const next = await strict.client().refresh.mutate({ refreshToken: pair.refreshToken! });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reuse = await errorOf(
      strict.client().refresh.mutate({ refreshToken: pair.refreshToken! }),
    );
    expect(reuse.data?.httpStatus).toBe(401);
    expect(reuse.message).toMatch(/already used/);
    // The thief's successor dies with the family.
    expect(await codeOf(strict.client().refresh.mutate({ refreshToken: next.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    const events = await auditKinds(strict, "refresh_reuse_detected");
    expect(events).toHaveLength(1);
    expect(events[0]!.user_id).toBe(SEEDED.user1.id);
  });

  it("refuses a grace-window redemption after the family was revoked", async () => {
    const pair = await h.login(SEEDED.user1);
    const next = await h.client().refresh.mutate({ refreshToken: pair.refreshToken! });
    await h.client().logout.mutate({ refreshToken: next.refreshToken! });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
  });

  it("refuses unknown, malformed and missing tokens with 401", async () => {
    const unknown = "A".repeat(43);
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: unknown }))).toBe("UNAUTHORIZED");
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: "x.y.z" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(h.client().refresh.mutate({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: "a".repeat(257) }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("refuses a session past its absolute expiry", async () => {
    const pair = await h.login(SEEDED.maxim);
    await h.sql.execute({
      sql: "update refresh_families set expires_at = ? where id = (select family_id from refresh_tokens where access_jti = ?)",
      args: [Date.now() - 1000, JSON.parse(atob(pair.accessToken.split(".")[1]!)).jti],
    });
    const error = await errorOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }));
    expect(error.data?.httpStatus).toBe(401);
    expect(error.message).toBe("Session has expired");
  });
});

describe("refresh re-checks the account", () => {
  it("refuses a disabled user, and the session stays dead after re-enabling", async () => {
    const admin = await h.usersAdmin();
    const pair = await h.login(SEEDED.maxim);
    await admin.update.mutate({ id: SEEDED.maxim.id, disabled: true });
    const denied = await errorOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }));
    expect(denied.data?.httpStatus).toBe(401);
    await admin.update.mutate({ id: SEEDED.maxim.id, disabled: false });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    const events = await auditKinds(h, "refresh_denied");
    expect(events.some((e) => String(e.details).includes("account_disabled"))).toBe(true);
  });

  it("refuses a session whose user was disabled and re-enabled before its next refresh", async () => {
    const admin = await h.usersAdmin();
    const created = await admin.create.mutate({
      username: "flicker",
      password: "flicker-password",
    });
    const pair = await h.login({ username: "flicker", password: "flicker-password" });
    await admin.update.mutate({ id: created.id, disabled: true });
    await admin.update.mutate({ id: created.id, disabled: false });
    const denied = await errorOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }));
    expect(denied.data?.httpStatus).toBe(401);
    const events = await auditKinds(h, "refresh_denied");
    expect(events.some((e) => String(e.details).includes("sessions_invalidated"))).toBe(true);
    // A login after re-enabling starts a session that works.
    const after = await h.login({ username: "flicker", password: "flicker-password" });
    await expect(
      h.client().refresh.mutate({ refreshToken: after.refreshToken! }),
    ).resolves.toMatchObject({ user: { id: created.id } });
  });

  it("refuses every session begun before a password change", async () => {
    const admin = await h.usersAdmin();
    const created = await admin.create.mutate({ username: "changer", password: "first-password" });
    const before = await h.login({ username: "changer", password: "first-password" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await admin.update.mutate({ id: created.id, password: "second-password" });
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: before.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    const after = await h.login({ username: "changer", password: "second-password" });
    await expect(
      h.client().refresh.mutate({ refreshToken: after.refreshToken! }),
    ).resolves.toMatchObject({ user: { id: created.id } });
  });

  it("refuses a deleted user", async () => {
    const admin = await h.usersAdmin();
    const created = await admin.create.mutate({ username: "leaver", password: "leaver-password" });
    const pair = await h.login({ username: "leaver", password: "leaver-password" });
    await admin.delete.mutate({ id: created.id });
    const events = await auditKinds(h, "refresh_denied");
    expect(await codeOf(h.client().refresh.mutate({ refreshToken: pair.refreshToken! }))).toBe(
      "UNAUTHORIZED",
    );
    const after = await auditKinds(h, "refresh_denied");
    expect(after.length).toBe(events.length + 1);
    expect(String(after.at(-1)!.details)).toContain("account_deleted");
  });
});
