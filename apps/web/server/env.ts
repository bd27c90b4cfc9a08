import { fileURLToPath } from "node:url";
import { baseEnvSchema, parseEnv, portSchema } from "@shop/kit";
import { z } from "zod";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** Every variable the web server reads, with the defaults of the embedded local run. */
export const envSchema = baseEnvSchema.extend({
  PORT: portSchema.default(5000),
  /** Where `/trpc/*`, `/gateway/*` and `/health` are forwarded. */
  GATEWAY_URL: z.url().default("http://127.0.0.1:5004"),
  /** The built SPA; default: `dist/` beside this server's bundle. */
  STATIC_DIR: optional(z.string().min(1)),
  /** Per forwarded request, so a stuck gateway never holds a browser forever. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Send HSTS (only behind TLS). Default: on in production. */
  HSTS: optional(z.enum(["true", "false"])),
});
export type Env = z.infer<typeof envSchema>;

/** The web server's settings, decoupled from process.env so tests can build one. */
export interface Config {
  host: string;
  port: number;
  logLevel: Env["LOG_LEVEL"];
  logFormat: "pretty" | "json";
  gatewayUrl: URL;
  staticDir: string;
  upstreamTimeoutMs: number;
  hsts: boolean;
}

/** `dist/` of apps/web, from `dist-server/index.js` (built) or `server/env.ts` (tsx, vitest). */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL("../dist", import.meta.url));

export function configFromEnv(env: Env): Config {
  const production = env.NODE_ENV === "production";
  return {
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (production ? "json" : "pretty"),
    gatewayUrl: new URL(env.GATEWAY_URL),
    staticDir: env.STATIC_DIR ?? DEFAULT_STATIC_DIR,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    hsts: env.HSTS ? env.HSTS === "true" : production,
  };
}

/** Reads and validates process.env (the only place that does), or exits with a readable message. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
