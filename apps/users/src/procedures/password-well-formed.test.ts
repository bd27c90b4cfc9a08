import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, newUser, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

// Lone surrogates (half of a UTF-16 pair) all encode to U+FFFD before hashing:
// "pass\uD800word" and "pass\uDFFFword" would be the same password.
const LONE_HIGH = "pass\uD800word-long";
const LONE_LOW = "pass\uDFFFword-long";

describe("passwords with lone UTF-16 surrogates", () => {
  it("are refused with a 400 on create, update and change, and at the credential check", async () => {
    const created = await errorOf(
      h.admin.create.mutate({ username: "halfpair", password: LONE_HIGH }),
    );
    expect(created.data?.httpStatus).toBe(400);
    expect(created.message).toMatch(/not valid Unicode/);

    const { user, client, password } = await newUser(h, "halfpair2");
    expect(await codeOf(h.admin.update.mutate({ id: user.id, password: LONE_LOW }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf(
        client.changePassword.mutate({ currentPassword: password, newPassword: LONE_HIGH }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        client.changePassword.mutate({ currentPassword: LONE_HIGH, newPassword: "x".repeat(10) }),
      ),
    ).toBe("BAD_REQUEST");

    const internal = await h.internal();
    expect(
      await codeOf(
        internal.verifyCredentials.mutate({ username: "halfpair2", password: LONE_LOW }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("still accept well-formed ones, astral characters (surrogate pairs) included", async () => {
    const password = "emoji-\u{1F511}-key";
    const created = await h.admin.create.mutate({ username: "astral", password });
    const internal = await h.internal();
    await expect(
      internal.verifyCredentials.mutate({ username: "astral", password }),
    ).resolves.toMatchObject({ id: created.id });
  });
});
