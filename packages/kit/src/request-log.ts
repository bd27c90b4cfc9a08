import { randomUUID } from "node:crypto";
import type { Logger } from "./logger.js";

// An incoming id is kept only if it is short and plain, so it can be written
// in logs and headers without escaping.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id to use: the caller's `x-request-id` when well formed, else a fresh UUID. */
export function requestIdFrom(incoming: string | string[] | null | undefined): string {
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** What one access-log line says. */
export interface AccessEntry {
  reqId?: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/**
 * Writes one access-log line (method, path, status, duration), as an error
 * from 500 on. Every process writes them alike, whichever path answered.
 */
export function logAccess(log: Logger, entry: AccessEntry): void {
  const msg = `${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms`;
  if (entry.status >= 500) log.error(entry, msg);
  else log.info(entry, msg);
}

/** Milliseconds since `started` (a performance.now() value), to 0.1 ms. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
