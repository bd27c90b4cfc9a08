import type { ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "@shop/kit";

/**
 * A JSON answer written below Hono (the relay, the REST read route), with
 * what the edge puts on every answer: the security headers, the caller's CORS
 * headers and the request id.
 */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  corsHeaders: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...corsHeaders,
    ...extra,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-request-id": requestId,
  });
  res.end(body);
}
