import { describe, expect, it } from "vitest";
import { configFromEnv, envSchema } from "./env.js";

describe("bank env", () => {
  it("runs with no configuration and no faults", () => {
    const config = configFromEnv(envSchema.parse({}));
    expect(config.port).toBe(5005);
    expect(config.host).toBe("127.0.0.1");
    expect(config.faults.primary).toEqual({
      failNext: 0,
      failureRate: 0,
      latencyMs: 0,
      down: false,
      declineOverCents: null,
    });
  });

  it("reads blank lines as unset and per-bank faults as given", () => {
    const config = configFromEnv(
      envSchema.parse({
        PRIMARY_DECLINE_OVER_CENTS: "",
        PRIMARY_DOWN: "",
        DATABASE_URL: "",
        BACKUP_FAIL_FIRST: "3",
        BACKUP_FAILURE_RATE: "0.5",
        BACKUP_LATENCY_MS: "250",
        BACKUP_DOWN: "yes",
        BACKUP_DECLINE_OVER_CENTS: "10000",
      }),
    );
    expect(config.databaseUrl).toBeUndefined();
    expect(config.faults.primary).toMatchObject({ down: false, declineOverCents: null });
    expect(config.faults.backup).toEqual({
      failNext: 3,
      failureRate: 0.5,
      latencyMs: 250,
      down: true,
      declineOverCents: 10_000,
    });
  });

  it("refuses nonsense", () => {
    expect(envSchema.safeParse({ PRIMARY_FAILURE_RATE: "1.5" }).success).toBe(false);
    expect(envSchema.safeParse({ BACKUP_DOWN: "maybe" }).success).toBe(false);
    expect(envSchema.safeParse({ PRIMARY_FAIL_FIRST: "-1" }).success).toBe(false);
  });
});
