import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next.js";

describe("safeNext", () => {
  it("keeps a path of this site, with its query", () => {
    expect(safeNext("next=%2Fhistory")).toBe("/history");
    expect(safeNext("next=%2Fusers%3Fpage%3D2")).toBe("/users?page=2");
  });

  it("sends anything else home", () => {
    for (const next of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "/login?next=/x",
      // Browsers drop tabs and newlines from URLs: these are //evil.example to them.
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\\evil.example",
      "/\t/login",
      "",
    ]) {
      expect(safeNext(`next=${encodeURIComponent(next)}`), next).toBe("/");
    }
    expect(safeNext("")).toBe("/");
  });
});
