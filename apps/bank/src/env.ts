import { baseEnvSchema, booleanSchema, parseEnv, portSchema } from "@shop/kit";
import { z } from "zod";
import type { BankName, Faults } from "./domain/faults.js";

// An empty `FOO=` line in an env file means "not set" (its default), never 0 or "".
const unsetIfBlank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);
const rate = unsetIfBlank(z.coerce.number().min(0).max(1).default(0));
const count = z.coerce.number().int().min(0).max(1_000_000);
const failFirst = unsetIfBlank(count.default(0));
const ms = unsetIfBlank(z.coerce.number().int().min(0).max(120_000).default(0));
const flag = unsetIfBlank(booleanSchema.default(false));
const cents = unsetIfBlank(count.optional());

/** Every setting of the bank stand-in; defaults run it locally with no faults. */
export const envSchema = baseEnvSchema.extend({
  PORT: portSchema.default(5005),
  /** A libSQL server URL; unset: the embedded file `<DATA_DIR>/bank.db`. */
  DATABASE_URL: unsetIfBlank(z.string().min(1).optional()),
  DATABASE_AUTH_TOKEN: unsetIfBlank(z.string().min(1).optional()),
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
export interface Config {
  nodeEnv: Env["NODE_ENV"];
  host: string;
  port: number;
  logLevel: Env["LOG_LEVEL"];
  logFormat?: Env["LOG_FORMAT"];
  dataDir: string;
  databaseUrl?: string;
  databaseAuthToken?: string;
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
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    faults: { primary: faultsOf(env, "PRIMARY"), backup: faultsOf(env, "BACKUP") },
  };
}

/** Reads and validates `process.env`; the only place the bank touches it. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
