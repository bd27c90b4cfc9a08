import { randomUUID } from "node:crypto";
import { forgedTokens, misissuedTokens } from "@shop/auth-kit/testing";
import { captureLog } from "@shop/kit/testing";
import type { JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

// A refused token tells the client only that it was refused (RFC 6750's
// invalid_token), never which check failed; the gateway's log says why.

const gatewayLog = captureLog("gateway");
let stack: Stack;
let attacks: Array<{ name: string; token: string }>;
beforeAll(async () => {
  stack = await startStack({ log: gatewayLog.log });
  const { access } = await stack.login(SEEDED.user1);
  const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as {
    keys: JWK[];
  };
  attacks = [
    ...(await forgedTokens(access, jwks.keys[0]!)),
    ...(await misissuedTokens((o) => stack.auth.signAccessToken(o))),
  ];
});
afterAll(() => stack.close());

const INVALID_TOKEN = 'Bearer realm="shop", error="invalid_token"';

describe("a refused token", () => {
  it("gets one generic message and error=invalid_token, on REST and the relay", async () => {
    const messages = new Set<string>();
    for (const attack of attacks) {
      const reqId = randomUUID();
      const headers = { authorization: `Bearer ${attack.token}`, "x-request-id": reqId };
      // Reads answered below Hono, and a write through Hono.
      for (const [method, path] of [
        ["GET", "/gateway/users/profile"],
        ["GET", "/gateway/orders"],
        ["POST", "/gateway/orders"],
      ] as const) {
        const body = method === "POST" ? "{}" : undefined;
        const rest = await fetch(`${stack.url}${path}`, { method, headers, body });
        expect(rest.status, `${path}: ${attack.name}`).toBe(401);
        expect(rest.headers.get("www-authenticate"), attack.name).toBe(INVALID_TOKEN);
        messages.add(((await rest.json()) as { message: string }).message);
      }
      const relay = await fetch(`${stack.url}/trpc/users/me`, { headers });
      expect(relay.status, `relay: ${attack.name}`).toBe(401);
      expect(relay.headers.get("www-authenticate"), attack.name).toBe(INVALID_TOKEN);
      messages.add(((await relay.json()) as { error: { message: string } }).error.message);
      // Why it was refused is in the log, with the request id.
      expect(
        gatewayLog.lines.some((line) => line.reqId === reqId && typeof line.reason === "string"),
        attack.name,
      ).toBe(true);
    }
    expect([...messages]).toEqual(["Invalid or expired token"]);
  });

  it("without any token: WWW-Authenticate names no error (RFC 6750 §3.1)", async () => {
    const rest = await fetch(`${stack.url}/gateway/users/profile`);
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toBe('Bearer realm="shop"');
    const relay = await fetch(`${stack.url}/trpc/users/me`);
    expect(relay.status).toBe(401);
    expect(relay.headers.get("www-authenticate")).toBe('Bearer realm="shop"');
  });
});
