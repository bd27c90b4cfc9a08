import { describe, expect, it } from "vitest";
import { baseEnvSchema, parseEnv } from "./env.js";

describe("parseEnv", () => {
  it("resolves a relative DATA_DIR from where npm was run", () => {
    expect(parseEnv(baseEnvSchema, { INIT_CWD: "/srv/shop" }).DATA_DIR).toBe("/srv/shop/data");
    expect(parseEnv(baseEnvSchema, { INIT_CWD: "/srv/shop", DATA_DIR: "state" }).DATA_DIR).toBe(
      "/srv/shop/state",
    );
  });

  it("keeps an absolute DATA_DIR", () => {
    expect(
      parseEnv(baseEnvSchema, { INIT_CWD: "/srv/shop", DATA_DIR: "/var/lib/shop" }).DATA_DIR,
    ).toBe("/var/lib/shop");
  });
});
