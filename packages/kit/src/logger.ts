import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  service: string;
  level?: string;
  format?: "pretty" | "json";
}

/**
 * One pino logger per process. `json` writes one object per line for machines;
 * `pretty` writes readable single lines for a terminal (synchronously, so lines
 * from several processes interleave whole).
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level ?? "info", base: { service: options.service } };
  if (options.format === "json") return pino(base);
  return pino(
    base,
    pretty({
      sync: true,
      colorize: process.stdout.isTTY,
      translateTime: "HH:MM:ss.l",
      // The access-log fields are already in the message line; keep only the request id.
      ignore: "pid,hostname,service,method,path,status,ms",
      singleLine: true,
    }),
  );
}
