import { AUDIENCE } from "@shop/auth-kit";
import {
  parseEnv,
  portSchema,
  unsetIfBlank,
  type VerifyingServiceConfig,
  verifyingServiceConfig,
  verifyingServiceEnvSchema,
} from "@shop/kit";
import { z } from "zod";

/** Every variable the orders service reads, with the defaults of the embedded local run. */
export const envSchema = verifyingServiceEnvSchema.extend({
  PORT: portSchema.default(5003),
  /** The payment provider (apps/bank): `/primary/...` and `/backup/...`. */
  BANK_URL: unsetIfBlank(z.url().default("http://127.0.0.1:5005")),
  /** Consecutive primary-bank failures that open the circuit breaker. */
  BREAKER_THRESHOLD: unsetIfBlank(z.coerce.number().int().min(1).max(1000).default(3)),
  /** Seconds an open breaker waits before letting one trial call through (half-open). */
  BREAKER_RESET_S: unsetIfBlank(z.coerce.number().min(0.05).max(3600).default(30)),
  /** Per bank call; past it the outcome is unknown and the charge's status is asked for. */
  BANK_TIMEOUT_MS: unsetIfBlank(z.coerce.number().int().min(50).max(60_000).default(3000)),
  /** Seconds between sweeps: refunds a bank has not confirmed yet, payments nobody settled. */
  REFUND_RETRY_S: unsetIfBlank(z.coerce.number().min(0.05).max(3600).default(30)),
});
export type Env = z.infer<typeof envSchema>;

/** The orders service's settings, decoupled from process.env so tests can build one. */
export interface Config extends VerifyingServiceConfig {
  audience: typeof AUDIENCE.orders;
  bankUrl: string;
  breakerThreshold: number;
  breakerResetMs: number;
  bankTimeoutMs: number;
  refundRetryMs: number;
}

/** Maps validated env to a Config. */
export function configFromEnv(env: Env): Config {
  return {
    ...verifyingServiceConfig(env),
    audience: AUDIENCE.orders,
    bankUrl: env.BANK_URL.replace(/\/+$/, ""),
    breakerThreshold: env.BREAKER_THRESHOLD,
    breakerResetMs: Math.round(env.BREAKER_RESET_S * 1000),
    bankTimeoutMs: env.BANK_TIMEOUT_MS,
    refundRetryMs: Math.round(env.REFUND_RETRY_S * 1000),
  };
}

/** Reads and validates process.env (the only place that does), or exits with a readable message. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
