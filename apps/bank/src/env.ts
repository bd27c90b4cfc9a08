import { baseEnvSchema, booleanSchema, parseEnv, portSchema } from "@shop/kit";
import { z } from "zod";
import type { BankName, Faults } from "./domain/faults.js";

const rate = z.coerce.number().min(0).max(1);
const count = z.coerce.number().int().min(0).max(1_000_000);
const ms = z.coerce.number().int().min(0).max(120_000);

/** Every setting of the bank stand-in; defaults run it locally with no faults. */
export const envSchema = baseEnvSchema.extend({
  PORT: portSchema.default(5005),
  /** A libSQL server URL; unset: the embedded file `<DATA_DIR>/bank.db`. */
  DATABASE_URL: z.string().optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  PRIMARY_FAIL_FIRST: count.default(0),
  PRIMARY_FAILURE_RATE: rate.default(0),
  PRIMARY_LATENCY_MS: ms.default(0),
  PRIMARY_DOWN: booleanSchema.default(false),
  PRIMARY_DECLINE_OVER_CENTS: count.optional(),
  BACKUP_FAIL_FIRST: count.default(0),
  BACKUP_FAILURE_RATE: rate.default(0),
  BACKUP_LATENCY_MS: ms.default(0),
  BACKUP_DOWN: booleanSchema.default(false),
  BACKUP_DECLINE_OVER_CENTS: count.optional(),
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
