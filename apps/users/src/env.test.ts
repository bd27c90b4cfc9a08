import { describe, expect, it } from "vitest";
import { configFromEnv, envSchema } from "./env.js";

describe("env", () => {
  it("defaults to the embedded local run with zero configuration", () => {
    const config = configFromEnv(envSchema.parse({}));
    expect(config).toMatchObject({
      port: 5002,
      host: "127.0.0.1",
      dataDir: "./data",
      issuer: "shop:auth",
      jwksUrls: ["http://127.0.0.1:5001/.well-known/jwks.json"],
      audience: "shop:users",
      internalAudience: "shop:users:internal",
      bcryptCost: 10,
      seedDemoUsers: true,
      logFormat: "pretty",
    });
    expect(config.databaseUrl).toBeUndefined();
    expect([...config.trustedProxies]).toEqual(["127.0.0.1", "::1"]);
  });

  it("reads every variable", () => {
    const config = configFromEnv(
      envSchema.parse({
        NODE_ENV: "production",
        PORT: "6002",
        AUTH_SERVICE_URL: "https://auth.internal:8443/, https://auth-2.internal:8443",
        JWT_ISSUER: "https://auth.example.com",
        BCRYPT_COST: "12",
        SEED_DEMO_USERS: "false",
        DATABASE_URL: "libsql://users.example.turso.io",
        DATABASE_AUTH_TOKEN: "secret",
        TRUSTED_PROXIES: "10.0.0.1, 10.0.0.2",
      }),
    );
    expect(config).toMatchObject({
      port: 6002,
      jwksUrls: [
        "https://auth.internal:8443/.well-known/jwks.json",
        "https://auth-2.internal:8443/.well-known/jwks.json",
      ],
      issuer: "https://auth.example.com",
      bcryptCost: 12,
      seedDemoUsers: false,
      databaseUrl: "libsql://users.example.turso.io",
      databaseAuthToken: "secret",
      logFormat: "json",
    });
    expect([...config.trustedProxies]).toEqual(["10.0.0.1", "10.0.0.2"]);
  });

  it("treats empty values as unset and refuses nonsense", () => {
    const config = configFromEnv(envSchema.parse({ DATABASE_URL: "", SEED_DEMO_USERS: "" }));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.seedDemoUsers).toBe(true);
    expect(envSchema.safeParse({ BCRYPT_COST: "3" }).success).toBe(false);
    expect(envSchema.safeParse({ BCRYPT_COST: "20" }).success).toBe(false);
    expect(envSchema.safeParse({ SEED_DEMO_USERS: "maybe" }).success).toBe(false);
    expect(envSchema.safeParse({ AUTH_SERVICE_URL: "not a url" }).success).toBe(false);
  });

  it("seeds the demo accounts by default except in production; an explicit value wins", () => {
    const seeds = (env: Record<string, string>) =>
      configFromEnv(envSchema.parse(env)).seedDemoUsers;
    expect(seeds({ NODE_ENV: "development" })).toBe(true);
    expect(seeds({ NODE_ENV: "test" })).toBe(true);
    expect(seeds({ NODE_ENV: "production" })).toBe(false);
    expect(seeds({ NODE_ENV: "production", SEED_DEMO_USERS: "" })).toBe(false);
    expect(seeds({ NODE_ENV: "production", SEED_DEMO_USERS: "true" })).toBe(true);
    expect(seeds({ NODE_ENV: "development", SEED_DEMO_USERS: "false" })).toBe(false);
  });
});
