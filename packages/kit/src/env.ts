import { isAbsolute, resolve } from "node:path";
import { DEFAULT_ISSUER } from "@shop/auth-kit";
import { z } from "zod";
import { LOOPBACK } from "./client-address.js";

/** `PORT`-style values: a TCP port, 0 meaning "any free port". */
export const portSchema = z.coerce.number().int().min(0).max(65535);

/** Boolean env values written as true/false/1/0/yes/no. */
export const booleanSchema = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** A comma-separated list of URLs (replicas behind one name). */
export const urlListSchema = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()).min(1));

/** An empty `FOO=` line in an env file means "not set" (the default applies), never "" or 0. */
export function unsetIfBlank<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema);
}

/** A comma-separated list of non-empty, trimmed values. */
export const listSchema = z.string().transform((value) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
);

/** Settings every process shares. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `pretty` for people at a terminal, `json` for log shippers; defaults by NODE_ENV. */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  /** Relative paths count from where npm was run (INIT_CWD), not from the app's folder. */
  DATA_DIR: z.string().default("./data"),
});

/** What every service with a database adds: where the database is, and whom to believe. */
export const serviceEnvSchema = baseEnvSchema.extend({
  /** A libSQL server (`libsql://`, `http(s)://`); unset: the embedded file under DATA_DIR. */
  DATABASE_URL: unsetIfBlank(z.string().min(1).optional()),
  DATABASE_AUTH_TOKEN: unsetIfBlank(z.string().min(1).optional()),
  /** Peers whose `x-forwarded-for` is believed (comma-separated addresses); default loopback. */
  TRUSTED_PROXIES: unsetIfBlank(listSchema.optional()),
});

/** The settings of {@link serviceEnvSchema}, as every service's Config starts. */
export interface BaseServiceConfig {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  logLevel: z.infer<typeof baseEnvSchema>["LOG_LEVEL"];
  logFormat: "pretty" | "json";
  dataDir: string;
  databaseUrl?: string;
  databaseAuthToken?: string;
  trustedProxies: ReadonlySet<string>;
}

/** Maps the shared part of a service's env; JSON logs in production unless told otherwise. */
export function baseServiceConfig(
  env: z.infer<typeof serviceEnvSchema> & { PORT: number },
): BaseServiceConfig {
  return {
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty"),
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    trustedProxies: env.TRUSTED_PROXIES ? new Set(env.TRUSTED_PROXIES) : LOOPBACK,
  };
}

/** What a service that verifies auth's tokens adds: the issuer and where its keys are. */
export const verifyingServiceEnvSchema = serviceEnvSchema.extend({
  /** The `iss` every accepted token must carry. */
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  /**
   * Where auth publishes its JWKS (`/.well-known/jwks.json`): a
   * comma-separated list of its replicas, tried in turn.
   */
  AUTH_SERVICE_URL: urlListSchema.default(["http://127.0.0.1:5001"]),
  /** Least time between two key-set fetches caused by an unknown `kid` (keep below auth's KEY_ACTIVATION_DELAY_S). */
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
});

/** The token settings of {@link verifyingServiceEnvSchema}. */
export interface VerifyingServiceConfig extends BaseServiceConfig {
  issuer: string;
  /** Replicas of auth's JWKS, tried in turn. */
  jwksUrls: string[];
  /** Least time between two JWKS fetches for an unknown `kid`. */
  jwksCooldownMs: number;
}

/** {@link baseServiceConfig} plus the issuer and auth's JWKS URL. */
export function verifyingServiceConfig(
  env: z.infer<typeof verifyingServiceEnvSchema> & { PORT: number },
): VerifyingServiceConfig {
  return {
    ...baseServiceConfig(env),
    issuer: env.JWT_ISSUER,
    jwksUrls: env.AUTH_SERVICE_URL.map((url) => new URL("/.well-known/jwks.json", url).href),
    jwksCooldownMs: env.JWKS_COOLDOWN_MS,
  };
}

/**
 * Parses `source` (an app's `process.env`) with `schema`, or stops the process
 * with one readable line per bad variable. Only an app's env.ts calls this.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return withAbsoluteDataDir(result.data, source);
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
  );
  process.stderr.write(`Invalid environment:\n${lines.join("\n")}\n`);
  process.exit(78); // EX_CONFIG
}

// `npm run start -w apps/x` runs the app in its own folder; a relative
// DATA_DIR still means the folder the person typed the command in.
function withAbsoluteDataDir<T>(env: T, source: Record<string, string | undefined>): T {
  const dataDir = (env as { DATA_DIR?: unknown }).DATA_DIR;
  if (typeof dataDir !== "string" || isAbsolute(dataDir)) return env;
  return { ...env, DATA_DIR: resolve(source.INIT_CWD ?? process.cwd(), dataDir) };
}
