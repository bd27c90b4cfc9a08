import { describe, expect, it } from "vitest";
import { parseRelayPath } from "./route.js";

describe("parseRelayPath", () => {
  it("reads the service, the calls and whether they are all public", () => {
    expect(parseRelayPath("/trpc/auth/login,refresh")).toEqual({
      service: "auth",
      calls: 2,
      isPublic: true,
      logins: 1,
      refreshes: 1,
    });
    expect(parseRelayPath("/trpc/auth/login,sessions")).toMatchObject({
      isPublic: false,
      logins: 1,
    });
    expect(parseRelayPath("/trpc/orders/list")).toMatchObject({
      service: "orders",
      isPublic: false,
    });
    // Public names count only on auth's router.
    expect(parseRelayPath("/trpc/users/login")).toMatchObject({ isPublic: false, logins: 0 });
  });

  it.each([
    "/trpc/internal/x",
    "/trpc/users",
    "/trpc/users/",
    "/trpc/users/a,",
    "/trpc/users/a//b",
    "/trpc/users/../internal",
    "/trpc/users/%2e%2e",
    "/trpc/users/a/b",
    "/trpc/Users/me",
  ])("refuses %s", (path) => {
    expect(parseRelayPath(path)).toBeNull();
  });
});
