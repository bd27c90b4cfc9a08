import { ACCESS_TOKEN_TTL_S, DEFAULT_ISSUER } from "@shop/auth-kit";
import {
  type BaseServiceConfig,
  baseServiceConfig,
  booleanSchema,
  databaseUrl,
  LOOPBACK,
  listSchema,
  parseEnv,
  portSchema,
  serviceEnvSchema,
  unsetIfBlank,
} from "@shop/kit";
import { z } from "zod";

const originListSchema = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()).min(1))
  // The Origin header is compared as the browser sends it: scheme://host[:port].
  .transform((urls) => urls.map((url) => new URL(url).origin));

const optional = <T extends z.ZodType>(schema: T) => unsetIfBlank(schema.optional());

export const envSchema = serviceEnvSchema.extend({
  PORT: portSchema.default(5001),
  JWT_ISSUER: z.string().min(1).max(256).default(DEFAULT_ISSUER),
  USER_SERVICE_URL: z.url().default("http://127.0.0.1:5002"),
  /**
   * How long login waits for users to check a password; users is told, and
   * drops a check it cannot finish in time. Long enough for a storm's queue
   * (50 logins at ~24/s: ~2.1 s). A caller that will wait less says so in
   * x-timeout-ms (the gateway sends its UPSTREAM_TIMEOUT_MS), and the call is
   * cut to that, so the client gets our 503 with Retry-After, not a 504.
   */
  USER_SERVICE_TIMEOUT_MS: unsetIfBlank(
    z.coerce.number().int().min(100).max(60_000).default(4_000),
  ),
  ALLOWED_ORIGINS: originListSchema.default(["http://localhost:5000", "http://127.0.0.1:5000"]),
  TRUSTED_PROXIES: listSchema.default([...LOOPBACK]),
  /**
   * Access-token lifetime. 15 minutes by design; only tests shorten it (to see
   * expiry without waiting). Never above 15 minutes: verifiers refuse older tokens.
   */
  ACCESS_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(5)
    .max(ACCESS_TOKEN_TTL_S)
    .default(ACCESS_TOKEN_TTL_S),
  KEY_ACTIVATION_DELAY_S: z.coerce.number().int().min(0).max(86_400).default(60),
  REFRESH_REUSE_GRACE_S: z.coerce.number().int().min(0).max(60).default(10),
  /** Production signing key (PKCS8 PEM or Ed25519 private JWK); nothing private is stored then. */
  AUTH_PRIVATE_KEY: optional(z.string().min(1)),
  /** Default: on in production. */
  COOKIE_SECURE: optional(booleanSchema),
  /** Live sessions a user may hold; a login beyond it ends the least recently used. */
  MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
  /** Security events older than this are deleted (checked hourly). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
});
export type Env = z.infer<typeof envSchema>;

/** Login throttling: failures counted per key inside a sliding window, then backoff. */
export interface ThrottleConfig {
  accountLimit: number;
  addressLimit: number;
  windowS: number;
  /** First block once the limit is reached; doubles with every further failure. */
  baseBlockS: number;
  maxBlockS: number;
}

/** Everything the auth service needs, already validated. */
export interface Config extends BaseServiceConfig {
  service: "auth";
  /** Always set: the embedded file's URL when DATABASE_URL is not. */
  databaseUrl: string;
  issuer: string;
  userServiceUrl: string;
  /** A password check at login (USER_SERVICE_TIMEOUT_MS). */
  userServiceTimeoutMs: number;
  /** The account-status read before each refresh: no queue behind it, so short. */
  userStatusTimeoutMs: number;
  allowedOrigins: string[];
  keyActivationDelayS: number;
  /** How often the running process re-reads the key table. */
  keyReloadIntervalMs: number;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  refreshReuseGraceS: number;
  privateKey?: string;
  cookieSecure: boolean;
  throttle: ThrottleConfig;
  /** How long security events are kept. */
  auditRetentionDays: number;
  /** Live sessions per user (MAX_SESSIONS_PER_USER). */
  maxSessionsPerUser: number;
  /** A refused admin-only call is audited once per user, path and reason in this window. */
  deniedAuditWindowS: number;
}

// A single-row read: when users takes longer than this it is in trouble, and a
// refresh had better fail fast than hold the client.
const USER_STATUS_TIMEOUT_MS = 3_000;

export function configFromEnv(env: Env): Config {
  return {
    ...baseServiceConfig(env),
    service: "auth",
    databaseUrl: databaseUrl("auth", env.DATA_DIR, env.DATABASE_URL),
    issuer: env.JWT_ISSUER,
    userServiceUrl: env.USER_SERVICE_URL.replace(/\/+$/, ""),
    userServiceTimeoutMs: env.USER_SERVICE_TIMEOUT_MS,
    userStatusTimeoutMs: Math.min(USER_STATUS_TIMEOUT_MS, env.USER_SERVICE_TIMEOUT_MS),
    allowedOrigins: env.ALLOWED_ORIGINS,
    keyActivationDelayS: env.KEY_ACTIVATION_DELAY_S,
    keyReloadIntervalMs: 1_000,
    accessTokenTtlS: env.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: 7 * 24 * 3600,
    refreshReuseGraceS: env.REFRESH_REUSE_GRACE_S,
    privateKey: env.AUTH_PRIVATE_KEY,
    cookieSecure: env.COOKIE_SECURE ?? env.NODE_ENV === "production",
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    maxSessionsPerUser: env.MAX_SESSIONS_PER_USER,
    deniedAuditWindowS: 60,
    throttle: {
      accountLimit: 5,
      addressLimit: 20,
      windowS: 15 * 60,
      baseBlockS: 1,
      maxBlockS: 15 * 60,
    },
  };
}

/** Reads and validates the process environment (the only place that does). */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
