import type { ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { UpstreamError } from "../upstream/errors.js";
import type { Upstream } from "../upstream/upstream.js";

const JWKS_PATH = "/.well-known/jwks.json";

/** `GET /.well-known/jwks.json`, relayed from auth: public keys are auth's to publish. */
export function jwksRoute(auth: Upstream) {
  return new Hono<ServiceEnv>().get(JWKS_PATH, async (c) => {
    const response = await auth.send({
      method: "GET",
      path: JWKS_PATH,
      headers: { "x-request-id": c.get("requestId") },
    });
    if (response.status !== 200) throw new UpstreamError("auth", "unavailable");
    return c.body(response.body, 200, {
      "content-type": "application/json",
      "cache-control": String(response.headers["cache-control"] ?? "public, max-age=300"),
    });
  });
}
