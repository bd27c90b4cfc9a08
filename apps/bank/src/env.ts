import {
  type BaseServiceConfig,
  baseServiceConfig,
  booleanSchema,
  parseEnv,
  portSchema,
  serviceEnvSchema,
  unsetIfBlank,
} from "@shop/kit";
import { z } from "zod";
import type { BankName, Faults } from "./domain/faults.js";

const rate = unsetIfBlank(z.coerce.number().min(0).max(1).default(0));
const count = z.coerce.number().int().min(0).max(1_000_000);
const failFirst = unsetIfBlank(count.default(0));
const ms = unsetIfBlank(z.coerce.number().int().min(0).max(120_000).default(0));
const flag = unsetIfBlank(booleanSchema.default(false));
const cents = unsetIfBlank(count.optional());

/** Every setting of the bank stand-in; defaults run it locally with no faults. */
export const envSchema = serviceEnvSchema.extend({
  PORT: portSchema.default(5005),
  PRIMARY_FAIL_FIRST: failFirst,
  PRIMARY_FAILURE_RATE: rate,
  PRIMARY_LATENCY_MS: ms,
  PRIMARY_DOWN: flag,
  PRIMARY_DECLINE_OVER_CENTS: cents,
  BACKUP_FAIL_FIRST: failFirst,
  BACKUP_FAILURE_RATE: rate,
  BACKUP_LATENCY_MS: ms,
  BACKUP_DOWN: flag,
  BACKUP_DECLINE_OVER_CENTS: cents,
});
export type Env = z.infer<typeof envSchema>;

/** What the bank needs at run time, independent of where it came from. */
export interface Config extends BaseServiceConfig {
  /** Faults in force at start-up, per bank; the control route changes them at run time. */
  faults: Record<BankName, Faults>;
}

function faultsOf(env: Env, prefix: "PRIMARY" | "BACKUP"): Faults {
  return {
    failNext: env[`${prefix}_FAIL_FIRST`],
    failureRate: env[`${prefix}_FAILURE_RATE`],
    latencyMs: env[`${prefix}_LATENCY_MS`],
    down: env[`${prefix}_DOWN`],
    declineOverCents: env[`${prefix}_DECLINE_OVER_CENTS`] ?? null,
  };
}

export function configFromEnv(env: Env): Config {
  return {
    ...baseServiceConfig(env),
    faults: { primary: faultsOf(env, "PRIMARY"), backup: faultsOf(env, "BACKUP") },
  };
}

/** Reads and validates `process.env`; the only place the bank touches it. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
