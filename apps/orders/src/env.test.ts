import { describe, expect, it } from "vitest";
import { configFromEnv, envSchema } from "./env.js";

describe("orders env", () => {
  it("runs the embedded local setup with no configuration", () => {
    const config = configFromEnv(envSchema.parse({}));
    expect(config).toMatchObject({
      port: 5003,
      jwksUrls: ["http://127.0.0.1:5001/.well-known/jwks.json"],
      bankUrl: "http://127.0.0.1:5005",
      breakerThreshold: 3,
      breakerResetMs: 30_000,
      bankTimeoutMs: 3_000,
      refundRetryMs: 30_000,
      databaseUrl: undefined,
    });
  });

  it("takes breaker settings, fractional reset seconds, and blank lines as unset", () => {
    const config = configFromEnv(
      envSchema.parse({
        BREAKER_THRESHOLD: "5",
        BREAKER_RESET_S: "0.5",
        BANK_TIMEOUT_MS: "",
        BANK_URL: "http://bank.internal:8080/",
        DATABASE_URL: "",
      }),
    );
    expect(config).toMatchObject({
      breakerThreshold: 5,
      breakerResetMs: 500,
      bankTimeoutMs: 3_000,
      bankUrl: "http://bank.internal:8080",
      databaseUrl: undefined,
    });
  });

  it("refuses nonsense", () => {
    expect(envSchema.safeParse({ BREAKER_THRESHOLD: "0" }).success).toBe(false);
    expect(envSchema.safeParse({ BANK_TIMEOUT_MS: "10" }).success).toBe(false);
    expect(envSchema.safeParse({ REFUND_RETRY_S: "0" }).success).toBe(false);
    expect(envSchema.safeParse({ BANK_URL: "not a url" }).success).toBe(false);
  });
});
