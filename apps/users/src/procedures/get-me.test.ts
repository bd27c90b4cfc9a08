import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, newUser, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("me", () => {
  it("returns the caller's profile and nothing more", async () => {
    const me = await h.user1.me.query();
    expect(Object.keys(me).sort()).toEqual(
      ["createdAt", "disabled", "email", "id", "role", "updatedAt", "username"].sort(),
    );
    expect(me).toMatchObject({
      id: SEEDED.user1,
      username: "user1",
      role: "user",
      disabled: false,
    });
    expect(new Date(me.createdAt).toISOString()).toBe(me.createdAt);
  });

  it("seeds admin, user1 and maxim as ids 1, 2, 3", async () => {
    const { users } = await h.admin.list.query({});
    expect(users.slice(0, 3).map((u) => [u.id, u.username, u.role])).toEqual([
      [1, "admin", "admin"],
      [2, "user1", "user"],
      [3, "maxim", "user"],
    ]);
  });

  it("refuses a still-valid token once its account is deleted or disabled", async () => {
    const gone = await newUser(h, "gone-soon");
    await expect(gone.client.me.query()).resolves.toMatchObject({ username: "gone-soon" });
    await h.admin.delete.mutate({ id: gone.user.id });
    expect(await codeOf(gone.client.me.query())).toBe("UNAUTHORIZED");

    const off = await newUser(h, "switched-off");
    await h.admin.update.mutate({ id: off.user.id, disabled: true });
    expect(await codeOf(off.client.me.query())).toBe("FORBIDDEN");
  });

  it("takes the role from the database, not the token", async () => {
    const boss = await newUser(h, "boss", "admin");
    await expect(boss.client.list.query({})).resolves.toBeDefined();
    await h.admin.update.mutate({ id: boss.user.id, role: "user" });
    // The token still says admin; the account no longer is.
    expect(await codeOf(boss.client.list.query({}))).toBe("FORBIDDEN");
  });

  it("ignores a role claim the database does not back", async () => {
    const forged = h.client(await h.tokenFor(SEEDED.user1, "user1", { role: "admin" }));
    expect(await codeOf(forged.list.query({}))).toBe("FORBIDDEN");
  });
});
