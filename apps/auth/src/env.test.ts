import { describe, expect, it } from "vitest";
import { configFromEnv, envSchema } from "./env.js";

const configOf = (env: Record<string, string>) => configFromEnv(envSchema.parse(env));

describe("env", () => {
  it("runs the local stack with zero configuration", () => {
    const config = configOf({});
    expect(config).toMatchObject({
      port: 5001,
      issuer: "shop:auth",
      userServiceUrl: "http://127.0.0.1:5002",
      allowedOrigins: ["http://localhost:5000", "http://127.0.0.1:5000"],
      keyActivationDelayS: 60,
      refreshReuseGraceS: 10,
      cookieSecure: false,
      accessTokenTtlS: 900,
      refreshTokenTtlS: 7 * 24 * 3600,
      maxSessionsPerUser: 20,
    });
    expect(config.databaseUrl).toMatch(/^file:.*\/data\/auth\.db$/);
    expect([...config.trustedProxies]).toEqual(["127.0.0.1", "::1"]);
    expect(config.privateKey).toBeUndefined();
  });

  it("makes cookies Secure in production unless told otherwise", () => {
    expect(configOf({ NODE_ENV: "production" }).cookieSecure).toBe(true);
    expect(configOf({ NODE_ENV: "production", COOKIE_SECURE: "false" }).cookieSecure).toBe(false);
  });

  it("normalizes origins and treats empty values as unset", () => {
    const config = configOf({
      ALLOWED_ORIGINS: "https://shop.example/, http://localhost:5000",
      AUTH_PRIVATE_KEY: "",
      DATABASE_URL: "",
      USER_SERVICE_URL: "http://users.internal:5002/",
    });
    expect(config.allowedOrigins).toEqual(["https://shop.example", "http://localhost:5000"]);
    expect(config.privateKey).toBeUndefined();
    expect(config.databaseUrl).toMatch(/^file:/);
    expect(config.userServiceUrl).toBe("http://users.internal:5002");
  });

  it("keeps access tokens at 15 minutes unless a test shortens them", () => {
    expect(configOf({}).accessTokenTtlS).toBe(900);
    expect(configOf({ ACCESS_TOKEN_TTL_S: "10" }).accessTokenTtlS).toBe(10);
    expect(envSchema.safeParse({ ACCESS_TOKEN_TTL_S: "3600" }).success).toBe(false);
    expect(envSchema.safeParse({ ACCESS_TOKEN_TTL_S: "1" }).success).toBe(false);
  });

  it("waits 4 s for a password check and at most 3 s for an account status", () => {
    expect(configOf({})).toMatchObject({ userServiceTimeoutMs: 4_000, userStatusTimeoutMs: 3_000 });
    expect(configOf({ USER_SERVICE_TIMEOUT_MS: "2500" })).toMatchObject({
      userServiceTimeoutMs: 2_500,
      userStatusTimeoutMs: 2_500,
    });
    expect(configOf({ USER_SERVICE_TIMEOUT_MS: "" }).userServiceTimeoutMs).toBe(4_000);
    for (const value of ["abc", "0", "99", "1.5", "60001"]) {
      expect(envSchema.safeParse({ USER_SERVICE_TIMEOUT_MS: value }).success, value).toBe(false);
    }
  });

  it("refuses nonsense", () => {
    expect(envSchema.safeParse({ ALLOWED_ORIGINS: "not a url" }).success).toBe(false);
    expect(envSchema.safeParse({ REFRESH_REUSE_GRACE_S: "-1" }).success).toBe(false);
    expect(envSchema.safeParse({ PORT: "70000" }).success).toBe(false);
  });
});
