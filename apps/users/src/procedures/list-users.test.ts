import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const username of ["alpha_one", "alphaxone", "Beta.two", "gamma-3"]) {
    await h.admin.create.mutate({
      username,
      password: "long-enough-1",
      email: `${username}@x.test`,
    });
  }
});
afterAll(() => h.close());

describe("list", () => {
  it("is for admins only", async () => {
    expect(await codeOf(h.user1.list.query({}))).toBe("FORBIDDEN");
    expect(await codeOf(h.client().list.query({}))).toBe("UNAUTHORIZED");
  });

  it("pages by id with a total", async () => {
    const first = await h.admin.list.query({ limit: 2 });
    expect(first.total).toBe(7);
    expect(first.users.map((u) => u.id)).toEqual([1, 2]);
    const next = await h.admin.list.query({ limit: 2, offset: 2 });
    expect(next.users.map((u) => u.id)).toEqual([3, 4]);
    const past = await h.admin.list.query({ offset: 100 });
    expect(past).toEqual({ users: [], total: 7 });
  });

  it("defaults to 20 per page without input", async () => {
    const all = await h.admin.list.query();
    expect(all.users).toHaveLength(7);
  });

  it("searches usernames and emails case-insensitively", async () => {
    const beta = await h.admin.list.query({ search: "BETA" });
    expect(beta.users.map((u) => u.username)).toEqual(["Beta.two"]);
    expect(beta.total).toBe(1);
    const byEmail = await h.admin.list.query({ search: "gamma-3@x" });
    expect(byEmail.users.map((u) => u.username)).toEqual(["gamma-3"]);
  });

  it("treats LIKE wildcards in the search literally", async () => {
    const underscore = await h.admin.list.query({ search: "alpha_" });
    expect(underscore.users.map((u) => u.username)).toEqual(["alpha_one"]);
    expect((await h.admin.list.query({ search: "%" })).total).toBe(0);
  });

  it("rejects out-of-range input", async () => {
    expect(await codeOf(h.admin.list.query({ limit: 0 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.list.query({ limit: 101 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.list.query({ offset: -1 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.list.query({ search: "x".repeat(65) }))).toBe("BAD_REQUEST");
  });
});
