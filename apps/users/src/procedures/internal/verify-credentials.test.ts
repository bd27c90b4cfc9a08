import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, SEEDED, startHarness } from "../../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("verifyCredentials", () => {
  it("returns the account for each seeded user and its password", async () => {
    const internal = await h.internal();
    for (const [username, password, id, role] of [
      ["admin", "admin123", SEEDED.admin, "admin"],
      ["user1", "password1", SEEDED.user1, "user"],
      ["maxim", "maxim", SEEDED.maxim, "user"],
    ] as const) {
      const account = await internal.verifyCredentials.mutate({ username, password });
      expect(account).toMatchObject({ id, username, role });
      expect(Object.keys(account).sort()).toEqual(
        [
          "createdAt",
          "email",
          "id",
          "passwordChangedAt",
          "role",
          "sessionStamp",
          "username",
        ].sort(),
      );
      expect(account.passwordChangedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(new Date(account.createdAt).toISOString()).toBe(account.createdAt);
    }
  });

  it("matches the username case-insensitively", async () => {
    const internal = await h.internal();
    const account = await internal.verifyCredentials.mutate({
      username: "ADMIN",
      password: "admin123",
    });
    expect(account).toMatchObject({ id: SEEDED.admin, username: "admin" });
  });

  it("answers unknown user and wrong password identically", async () => {
    const internal = await h.internal();
    const unknown = await errorOf(
      internal.verifyCredentials.mutate({ username: "nobody", password: "admin123" }),
    );
    const wrong = await errorOf(
      internal.verifyCredentials.mutate({ username: "admin", password: "wrong-password" }),
    );
    expect(unknown.data?.code).toBe("UNAUTHORIZED");
    expect(wrong.data?.code).toBe("UNAUTHORIZED");
    expect(unknown.message).toBe("Invalid username or password");
    expect(wrong.message).toBe(unknown.message);
  });

  it("says FORBIDDEN for a disabled account only after a correct password", async () => {
    await h.admin.update.mutate({ id: SEEDED.maxim, disabled: true });
    const internal = await h.internal();
    const right = await errorOf(
      internal.verifyCredentials.mutate({ username: "maxim", password: "maxim" }),
    );
    expect(right.data?.code).toBe("FORBIDDEN");
    expect(right.message).toBe("Account disabled");
    expect(
      await codeOf(internal.verifyCredentials.mutate({ username: "maxim", password: "nope" })),
    ).toBe("UNAUTHORIZED");
    await h.admin.update.mutate({ id: SEEDED.maxim, disabled: false });
    await expect(
      internal.verifyCredentials.mutate({ username: "maxim", password: "maxim" }),
    ).resolves.toMatchObject({ id: SEEDED.maxim });
  });

  it("rejects unbounded input as BAD_REQUEST", async () => {
    const internal = await h.internal();
    expect(
      await codeOf(internal.verifyCredentials.mutate({ username: "a".repeat(65), password: "x" })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(internal.verifyCredentials.mutate({ username: "admin", password: "" })),
    ).toBe("BAD_REQUEST");
  });
});

describe("accountStatus", () => {
  it("reports role, disabled flag and the last password change", async () => {
    const internal = await h.internal();
    const status = await internal.accountStatus.query({ userId: SEEDED.admin });
    expect(status).toEqual({
      id: SEEDED.admin,
      username: "admin",
      email: "admin@example.com",
      role: "admin",
      disabled: false,
      passwordChangedAt: expect.any(Number),
      sessionStamp: 0,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(typeof status.passwordChangedAt).toBe("number");
  });

  it("answers NOT_FOUND for a user that does not exist", async () => {
    const internal = await h.internal();
    expect(await codeOf(internal.accountStatus.query({ userId: 9999 }))).toBe("NOT_FOUND");
  });
});
