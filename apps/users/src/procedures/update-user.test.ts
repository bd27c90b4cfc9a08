import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, newUser, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const status = async (userId: number) => (await h.internal()).accountStatus.query({ userId });

describe("update", () => {
  it("lets a user change and clear their own email", async () => {
    const { client, user } = await newUser(h, "emailer");
    const updated = await client.update.mutate({ id: user.id, email: "me@example.com" });
    expect(updated.email).toBe("me@example.com");
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(user.updatedAt));
    expect((await client.update.mutate({ id: user.id, email: null })).email).toBeNull();
    expect(await codeOf(client.update.mutate({ id: user.id, email: "nope" }))).toBe("BAD_REQUEST");
  });

  it("refuses a non-admin touching another account, existing or not", async () => {
    expect(await codeOf(h.user1.update.mutate({ id: SEEDED.maxim, email: "x@y.io" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(h.user1.update.mutate({ id: 4242, email: "x@y.io" }))).toBe("FORBIDDEN");
  });

  it("lets only an admin change role and disabled; a user may resend their current values", async () => {
    expect(await codeOf(h.user1.update.mutate({ id: SEEDED.user1, role: "admin" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(h.user1.update.mutate({ id: SEEDED.user1, disabled: true }))).toBe(
      "FORBIDDEN",
    );
    await expect(
      h.user1.update.mutate({ id: SEEDED.user1, role: "user", disabled: false }),
    ).resolves.toMatchObject({ role: "user" });
    const { user } = await newUser(h, "promotee");
    await expect(h.admin.update.mutate({ id: user.id, role: "admin" })).resolves.toMatchObject({
      role: "admin",
    });
    await expect(h.admin.update.mutate({ id: user.id, disabled: true })).resolves.toMatchObject({
      disabled: true,
    });
    expect((await status(user.id)).disabled).toBe(true);
  });

  it("bumps the session stamp on each disable, and not on re-enable or other edits", async () => {
    const { user } = await newUser(h, "flickered");
    expect((await status(user.id)).sessionStamp).toBe(0);
    await h.admin.update.mutate({ id: user.id, disabled: true });
    expect((await status(user.id)).sessionStamp).toBe(1);
    await h.admin.update.mutate({ id: user.id, disabled: false });
    await h.admin.update.mutate({ id: user.id, email: "f@example.com" });
    expect((await status(user.id)).sessionStamp).toBe(1);
    await h.admin.update.mutate({ id: user.id, disabled: true });
    expect((await status(user.id)).sessionStamp).toBe(2);
  });

  it("lets an admin set another user's password, stamping passwordChangedAt", async () => {
    const { user } = await newUser(h, "forgetful");
    const before = (await status(user.id)).passwordChangedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.admin.update.mutate({ id: user.id, password: "brand-new-pass" });
    expect((await status(user.id)).passwordChangedAt).toBeGreaterThan(before);
    const internal = await h.internal();
    await expect(
      internal.verifyCredentials.mutate({ username: "forgetful", password: "brand-new-pass" }),
    ).resolves.toMatchObject({ id: user.id });
    expect(await codeOf(h.admin.update.mutate({ id: user.id, password: "Forgetful" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(h.admin.update.mutate({ id: user.id, password: "short" }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("keeps one's own password change behind changePassword", async () => {
    const { client, user } = await newUser(h, "selfish");
    expect(await codeOf(client.update.mutate({ id: user.id, password: "another-pass" }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await codeOf(h.admin.update.mutate({ id: SEEDED.admin, password: "another-pass" })),
    ).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND to an admin for a missing user", async () => {
    expect(await codeOf(h.admin.update.mutate({ id: 4242, email: "a@b.cd" }))).toBe("NOT_FOUND");
  });
});

describe("the last admin", () => {
  it("cannot be demoted or disabled, even by themselves", async () => {
    const fresh = await startHarness();
    try {
      for (const change of [{ role: "user" as const }, { disabled: true }]) {
        const error = await errorOf(fresh.admin.update.mutate({ id: SEEDED.admin, ...change }));
        expect(error.data?.code).toBe("CONFLICT");
      }
      expect((await fresh.admin.me.query()).role).toBe("admin");
      // A disabled admin does not count: with one active admin left, it stays.
      const { user } = await newUser(fresh, "sleeper", "admin");
      await fresh.admin.update.mutate({ id: user.id, disabled: true });
      expect(await codeOf(fresh.admin.update.mutate({ id: SEEDED.admin, role: "user" }))).toBe(
        "CONFLICT",
      );
      await fresh.admin.update.mutate({ id: user.id, disabled: false });
      await expect(
        fresh.admin.update.mutate({ id: SEEDED.admin, role: "user" }),
      ).resolves.toMatchObject({ role: "user" });
    } finally {
      await fresh.close();
    }
  });

  it("survives two admins demoting each other at the same time", async () => {
    for (let round = 0; round < 2; round++) {
      const fresh = await startHarness();
      try {
        const other = await newUser(fresh, "other-admin", "admin");
        const codes = await Promise.all([
          codeOf(fresh.admin.update.mutate({ id: other.user.id, role: "user" })),
          codeOf(other.client.update.mutate({ id: SEEDED.admin, role: "user" })),
        ]);
        expect(
          codes.filter((c) => c === "OK"),
          codes.join(),
        ).toHaveLength(1);
        const { users } = await fresh
          .internal()
          .then((internal) =>
            Promise.all(
              [1, other.user.id].map((userId) => internal.accountStatus.query({ userId })),
            ),
          )
          .then((list) => ({ users: list }));
        expect(users.filter((u) => u.role === "admin")).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    }
  });
});
