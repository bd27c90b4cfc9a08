import type { Logger } from "@shop/kit";

/** What one access-log line says. */
export interface AccessEntry {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/**
 * Writes one access-log line, shaped like the service kit's (method, path,
 * status, duration, request id), without a child logger: the relay path
 * writes one per request and should not allocate one.
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
