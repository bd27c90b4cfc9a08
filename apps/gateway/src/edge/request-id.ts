import { randomUUID } from "node:crypto";

// Same rule as the service kit: an incoming id is kept only if it is short and
// plain, so it can be written in logs and headers without escaping.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id to use: the caller's when well formed, else a fresh UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
