import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, newUser, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("delete", () => {
  it("lets an admin delete a user, who is then gone everywhere", async () => {
    const { user } = await newUser(h, "doomed");
    await expect(h.admin.delete.mutate({ id: user.id })).resolves.toEqual({
      message: "User deleted",
    });
    expect(await codeOf(h.admin.byId.query({ id: user.id }))).toBe("NOT_FOUND");
    const internal = await h.internal();
    expect(await codeOf(internal.accountStatus.query({ userId: user.id }))).toBe("NOT_FOUND");
    expect(await codeOf(h.admin.delete.mutate({ id: user.id }))).toBe("NOT_FOUND");
  });

  it("never reuses a deleted user's id", async () => {
    const { user: first } = await newUser(h, "first-born");
    await h.admin.delete.mutate({ id: first.id });
    const { user: second } = await newUser(h, "second-born");
    expect(second.id).toBeGreaterThan(first.id);
  });

  it("is for admins only, and never on oneself", async () => {
    expect(await codeOf(h.user1.delete.mutate({ id: SEEDED.maxim }))).toBe("FORBIDDEN");
    expect(await codeOf(h.user1.delete.mutate({ id: SEEDED.user1 }))).toBe("FORBIDDEN");
    const self = await errorOf(h.admin.delete.mutate({ id: SEEDED.admin }));
    expect(self.data?.code).toBe("BAD_REQUEST");
    expect(self.data?.httpStatus).toBe(400);
  });

  it("never deletes the last admin, even when two admins delete each other at once", async () => {
    for (let round = 0; round < 2; round++) {
      const fresh = await startHarness();
      try {
        const other = await newUser(fresh, "rival", "admin");
        const codes = await Promise.all([
          codeOf(fresh.admin.delete.mutate({ id: other.user.id })),
          codeOf(other.client.delete.mutate({ id: SEEDED.admin })),
        ]);
        expect(
          codes.filter((c) => c === "OK"),
          codes.join(),
        ).toHaveLength(1);
        const internal = await fresh.internal();
        const left = await Promise.all(
          [SEEDED.admin, other.user.id].map((userId) =>
            codeOf(internal.accountStatus.query({ userId })),
          ),
        );
        expect(left.filter((c) => c === "OK")).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    }
  });
});
