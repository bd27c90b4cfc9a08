import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("create", () => {
  it("creates a user (role user by default) who can then log in", async () => {
    const user = await h.admin.create.mutate({
      username: "newbie",
      password: "correct horse",
      email: "newbie@example.com",
    });
    expect(user).toMatchObject({ username: "newbie", role: "user", email: "newbie@example.com" });
    expect(user).not.toHaveProperty("passwordHash");
    const internal = await h.internal();
    await expect(
      internal.verifyCredentials.mutate({ username: "newbie", password: "correct horse" }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("creates an admin when asked", async () => {
    const user = await h.admin.create.mutate({
      username: "second-admin",
      password: "correct horse",
      role: "admin",
    });
    expect(user.role).toBe("admin");
  });

  it("is for admins only", async () => {
    const input = { username: "sneaky", password: "long-enough-pw" };
    expect(await codeOf(h.user1.create.mutate(input))).toBe("FORBIDDEN");
    expect(await codeOf(h.client().create.mutate(input))).toBe("UNAUTHORIZED");
  });

  it("answers CONFLICT for a username taken in any case", async () => {
    for (const username of ["ADMIN", "Admin", "newBIE"]) {
      const error = await errorOf(h.admin.create.mutate({ username, password: "long-enough-pw" }));
      expect(error.data?.code, username).toBe("CONFLICT");
      expect(error.data?.httpStatus).toBe(409);
    }
  });

  it("answers CONFLICT, never 500, to concurrent creates of one name in different cases", async () => {
    const names = ["Racer", "racer", "RACER", "rAcEr", "racER", "RaceR"];
    const codes = await Promise.all(
      names.map((username) =>
        codeOf(h.admin.create.mutate({ username, password: "long-enough-pw" })),
      ),
    );
    expect(codes.filter((c) => c === "OK")).toHaveLength(1);
    expect(codes.filter((c) => c === "CONFLICT")).toHaveLength(names.length - 1);
  });

  it("enforces the password policy", async () => {
    const tooShort = await errorOf(
      h.admin.create.mutate({ username: "shorty", password: "1234567" }),
    );
    expect(tooShort.data?.code).toBe("BAD_REQUEST");
    const tooLong = h.admin.create.mutate({ username: "longy", password: "x".repeat(129) });
    expect(await codeOf(tooLong)).toBe("BAD_REQUEST");
    const same = await errorOf(
      h.admin.create.mutate({ username: "Samesame", password: "sameSAME" }),
    );
    expect(same.data?.code).toBe("BAD_REQUEST");
    expect(same.message).toMatch(/username/);
    await expect(
      h.admin.create.mutate({ username: "edge", password: "x".repeat(128) }),
    ).resolves.toMatchObject({ username: "edge" });
  });

  it("validates username, email and role", async () => {
    const bad = [
      { username: "ab", password: "long-enough-pw" },
      { username: "x".repeat(33), password: "long-enough-pw" },
      { username: "has space", password: "long-enough-pw" },
      { username: "émile", password: "long-enough-pw" },
      { username: "okname", password: "long-enough-pw", email: "not-an-email" },
      { username: "okname", password: "long-enough-pw", email: `${"a".repeat(250)}@x.io` },
      { username: "okname", password: "long-enough-pw", role: "root" as never },
    ];
    for (const input of bad) {
      expect(await codeOf(h.admin.create.mutate(input)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
  });

  it("tells apart passwords that share their first 72 bytes", async () => {
    const prefix = "p".repeat(80);
    await h.admin.create.mutate({ username: "long-pw", password: `${prefix}-one` });
    const internal = await h.internal();
    expect(
      await codeOf(
        internal.verifyCredentials.mutate({ username: "long-pw", password: `${prefix}-two` }),
      ),
    ).toBe("UNAUTHORIZED");
    await expect(
      internal.verifyCredentials.mutate({ username: "long-pw", password: `${prefix}-one` }),
    ).resolves.toMatchObject({ username: "long-pw" });
  });
});
