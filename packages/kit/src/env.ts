import { isAbsolute, resolve } from "node:path";
import { z } from "zod";

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
