import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("byId and byUsername", () => {
  it("let a user read their own account", async () => {
    await expect(h.user1.byId.query({ id: SEEDED.user1 })).resolves.toMatchObject({
      username: "user1",
    });
    await expect(h.user1.byUsername.query({ username: "USER1" })).resolves.toMatchObject({
      id: SEEDED.user1,
    });
  });

  it("let an admin read anyone, and say NOT_FOUND for nobody", async () => {
    await expect(h.admin.byId.query({ id: SEEDED.maxim })).resolves.toMatchObject({
      username: "maxim",
    });
    await expect(h.admin.byUsername.query({ username: "Maxim" })).resolves.toMatchObject({
      id: SEEDED.maxim,
    });
    expect(await codeOf(h.admin.byId.query({ id: 4242 }))).toBe("NOT_FOUND");
    expect(await codeOf(h.admin.byUsername.query({ username: "nobody" }))).toBe("NOT_FOUND");
  });

  it("answer FORBIDDEN to a non-admin whether or not the other user exists", async () => {
    expect(await codeOf(h.user1.byId.query({ id: SEEDED.admin }))).toBe("FORBIDDEN");
    expect(await codeOf(h.user1.byId.query({ id: 4242 }))).toBe("FORBIDDEN");
    expect(await codeOf(h.user1.byUsername.query({ username: "maxim" }))).toBe("FORBIDDEN");
    expect(await codeOf(h.user1.byUsername.query({ username: "nobody" }))).toBe("FORBIDDEN");
  });

  it("reject malformed input", async () => {
    expect(await codeOf(h.admin.byId.query({ id: 0 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.byId.query({ id: 1.5 }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.byId.query({ id: "1" as never }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.byUsername.query({ username: "" }))).toBe("BAD_REQUEST");
    expect(await codeOf(h.admin.byUsername.query({ username: "x".repeat(65) }))).toBe(
      "BAD_REQUEST",
    );
  });
});
