import { DEFAULT_ISSUER } from "@shop/auth-kit";
import { baseEnvSchema, booleanSchema, parseEnv, portSchema, urlListSchema } from "@shop/kit";
import { z } from "zod";

const listSchema = z.string().transform((value) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
);
const positiveInt = z.coerce.number().int().positive();

/** The gateway's environment; every default makes the embedded local run work. */
export const envSchema = baseEnvSchema.extend({
  PORT: portSchema.default(5004),
  AUTH_SERVICE_URL: urlListSchema.default(["http://127.0.0.1:5001"]),
  USER_SERVICE_URL: urlListSchema.default(["http://127.0.0.1:5002"]),
  ORDERS_SERVICE_URL: urlListSchema.default(["http://127.0.0.1:5003"]),
  /**
   * Where the signing keys are published (a comma-separated list of
   * replicas, tried in turn); defaults to every auth replica's JWKS.
   */
  JWKS_URL: urlListSchema.optional(),
  /** Least time between two key-set fetches caused by an unknown `kid`. */
  JWKS_COOLDOWN_MS: positiveInt.default(30_000),
  /** How long a fetched key set is trusted before it is fetched again. */
  JWKS_CACHE_MAX_AGE_MS: positiveInt.default(5 * 60_000),
  JWT_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  CORS_ORIGINS: listSchema.default(["http://localhost:5000", "http://127.0.0.1:5000"]),
  /** Peers whose X-Forwarded-For is believed (the web server in front of us). */
  TRUSTED_PROXIES: listSchema.default(["127.0.0.1", "::1"]),
  /** Time an upstream has to start answering before the caller gets a 504. */
  UPSTREAM_TIMEOUT_MS: positiveInt.default(5_000),
  /** Time to open a connection to an upstream before it counts as down (503). */
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveInt.default(1_000),
  /** How long a replica that failed is left out of the rotation. */
  REPLICA_EJECT_MS: positiveInt.default(10_000),
  /** Keep-alive connections per upstream replica. */
  UPSTREAM_CONNECTIONS: positiveInt.default(64),
  BODY_LIMIT_BYTES: positiveInt.default(64 * 1024),
  /** Login attempts per client address per minute, REST and tRPC together. */
  LOGIN_RATE_LIMIT: positiveInt.default(10),
  /** Refreshes per client address per minute, REST and tRPC together. */
  REFRESH_RATE_LIMIT: positiveInt.default(60),
  /** Turns the login/refresh limits off (benchmarks only: they are the abuser). */
  RATE_LIMIT_DISABLED: booleanSchema.default(false),
  /** Most procedure calls one batched tRPC request may carry. */
  MAX_BATCH_SIZE: positiveInt.default(10),
  /** Verified access tokens remembered until they expire. */
  TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
});
export type Env = z.infer<typeof envSchema>;

/** What the gateway runs with, whatever its source (env or a test). */
export interface Config {
  port: number;
  host: string;
  production: boolean;
  logLevel: string;
  logFormat: "pretty" | "json";
  upstreams: { auth: string[]; users: string[]; orders: string[] };
  /** Replicas of auth's JWKS, tried in turn. */
  jwksUrls: string[];
  jwksCooldownMs: number;
  jwksCacheMaxAgeMs: number;
  issuer: string;
  corsOrigins: string[];
  trustedProxies: ReadonlySet<string>;
  upstreamTimeoutMs: number;
  connectTimeoutMs: number;
  replicaEjectMs: number;
  upstreamConnections: number;
  bodyLimitBytes: number;
  loginRateLimit: number;
  refreshRateLimit: number;
  rateLimitDisabled: boolean;
  maxBatchSize: number;
  tokenCacheSize: number;
  /**
   * Answer the REST reads below Hono (true unless a test turns it off to
   * compare the two paths).
   */
  restReadRoute: boolean;
}

/** Maps validated env to the gateway's Config. */
export function configFromEnv(env: Env): Config {
  const production = env.NODE_ENV === "production";
  return {
    port: env.PORT,
    host: env.HOST,
    production,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (production ? "json" : "pretty"),
    upstreams: {
      auth: env.AUTH_SERVICE_URL,
      users: env.USER_SERVICE_URL,
      orders: env.ORDERS_SERVICE_URL,
    },
    jwksUrls:
      env.JWKS_URL ??
      env.AUTH_SERVICE_URL.map((url) => new URL("/.well-known/jwks.json", url).href),
    jwksCooldownMs: env.JWKS_COOLDOWN_MS,
    jwksCacheMaxAgeMs: env.JWKS_CACHE_MAX_AGE_MS,
    issuer: env.JWT_ISSUER,
    corsOrigins: env.CORS_ORIGINS,
    trustedProxies: new Set(env.TRUSTED_PROXIES),
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    replicaEjectMs: env.REPLICA_EJECT_MS,
    upstreamConnections: env.UPSTREAM_CONNECTIONS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    loginRateLimit: env.LOGIN_RATE_LIMIT,
    refreshRateLimit: env.REFRESH_RATE_LIMIT,
    rateLimitDisabled: env.RATE_LIMIT_DISABLED,
    maxBatchSize: env.MAX_BATCH_SIZE,
    tokenCacheSize: env.TOKEN_CACHE_SIZE,
    restReadRoute: true,
  };
}

/** Reads process.env once, at start-up. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  return configFromEnv(parseEnv(envSchema, source));
}
