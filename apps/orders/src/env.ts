import { AUDIENCE, DEFAULT_ISSUER } from "@shop/auth-kit";
import { baseEnvSchema, LOOPBACK, parseEnv, portSchema } from "@shop/kit";
import { z } from "zod";

// An empty `FOO=` line in an env file means "not set", not "the empty string".
const blank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);
const optional = <T extends z.ZodType>(schema: T) => blank(schema.optional());

/** Every variable the orders service reads, with the defaults of the embedded local run. */
export const envSchema = baseEnvSchema.extend({
  PORT: portSchema.default(5003),
  /** The `iss` every accepted token must carry. */
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  /** Where auth publishes its JWKS (`/.well-known/jwks.json`). */
  AUTH_SERVICE_URL: z.url().default("http://127.0.0.1:5001"),
  /** Least time between two key-set fetches caused by an unknown `kid` (keep below auth\'s KEY_ACTIVATION_DELAY_S). */
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** The payment provider (apps/bank): `/primary/...` and `/backup/...`. */
  BANK_URL: blank(z.url().default("http://127.0.0.1:5005")),
  /** Consecutive primary-bank failures that open the circuit breaker. */
  BREAKER_THRESHOLD: blank(z.coerce.number().int().min(1).max(1000).default(3)),
  /** Seconds an open breaker waits before letting one trial call through (half-open). */
  BREAKER_RESET_S: blank(z.coerce.number().min(0.05).max(3600).default(30)),
  /** Per bank call; past it the outcome is unknown and the charge's status is asked for. */
  BANK_TIMEOUT_MS: blank(z.coerce.number().int().min(50).max(60_000).default(3000)),
  /** A libSQL server (`libsql://`, `http(s)://`); unset means the file `<DATA_DIR>/orders.db`. */
  DATABASE_URL: optional(z.string().min(1)),
  DATABASE_AUTH_TOKEN: optional(z.string().min(1)),
  /** Peers whose `x-forwarded-for` is believed (comma-separated addresses). */
  TRUSTED_PROXIES: optional(z.string()),
});
export type Env = z.infer<typeof envSchema>;

/** The orders service's settings, decoupled from process.env so tests can build one. */
export interface Config {
  nodeEnv: Env["NODE_ENV"];
  host: string;
  port: number;
  logLevel: Env["LOG_LEVEL"];
  logFormat: "pretty" | "json";
  dataDir: string;
  databaseUrl?: string;
  databaseAuthToken?: string;
  issuer: string;
  jwksUrl: string;
  /** Least time between two JWKS fetches for an unknown `kid`. */
  jwksCooldownMs: number;
  audience: typeof AUDIENCE.orders;
  bankUrl: string;
  breakerThreshold: number;
  breakerResetMs: number;
  bankTimeoutMs: number;
  trustedProxies: ReadonlySet<string>;
}

/** Maps validated env to a Config. */
export function configFromEnv(env: Env): Config {
  return {
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty"),
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    issuer: env.JWT_ISSUER,
    jwksUrl: `${env.AUTH_SERVICE_URL.replace(/\/+$/, "")}/.well-known/jwks.json`,
    jwksCooldownMs: env.JWKS_COOLDOWN_MS,
    audience: AUDIENCE.orders,
    bankUrl: env.BANK_URL.replace(/\/+$/, ""),
    breakerThreshold: env.BREAKER_THRESHOLD,
    breakerResetMs: Math.round(env.BREAKER_RESET_S * 1000),
    bankTimeoutMs: env.BANK_TIMEOUT_MS,
    trustedProxies: env.TRUSTED_PROXIES
      ? new Set(
          env.TRUSTED_PROXIES.split(",")
            .map((part) => part.trim())
            .filter(Boolean),
        )
      : LOOPBACK,
  };
}

/** Reads and validates process.env (the only place that does), or exits with a readable message. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
