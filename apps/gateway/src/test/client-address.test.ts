import type { AuthRouter } from "@shop/auth/router";
import { createTRPCClient, httpLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

// The test client connects from 127.0.0.1, a trusted proxy: its
// X-Forwarded-For is believed, as the web server's is. However long the chain,
// auth must record the client at its right end, never the gateway's own address.

let stack: Stack;
let admin: ReturnType<typeof createTRPCClient<AuthRouter>>;
beforeAll(async () => {
  stack = await startStack();
  const { access } = await stack.login(SEEDED.admin);
  admin = createTRPCClient<AuthRouter>({
    links: [
      httpLink({ url: `${stack.url}/trpc/auth`, headers: { authorization: `Bearer ${access}` } }),
    ],
  });
});
afterAll(() => stack.close());

const padded = (client: string) => `${"10.9.9.9, ".repeat(150)}${client}`;
const wrongPassword = { username: SEEDED.user1.username, password: "not-the-password" };

async function lastFailedLoginAddress(): Promise<string | null> {
  const { events } = await admin.audit.query({ kind: "login_failed", limit: 1 });
  return events[0]?.ipAddress ?? null;
}

describe("a long X-Forwarded-For", () => {
  it("still names the client to auth on REST", async () => {
    const chain = padded("203.0.113.7");
    expect(chain.length).toBeGreaterThan(1024);
    const response = await stack.call("POST", "/gateway/auth/login", {
      body: wrongPassword,
      headers: { "x-forwarded-for": chain },
    });
    expect(response.status).toBe(401);
    expect(await lastFailedLoginAddress()).toBe("203.0.113.7");
  });

  it("still names the client to auth on the relay", async () => {
    const response = await fetch(`${stack.url}/trpc/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": padded("203.0.113.8") },
      body: JSON.stringify(wrongPassword),
    });
    expect(response.status).toBe(401);
    expect(await lastFailedLoginAddress()).toBe("203.0.113.8");
  });

  it("is passed on capped, keeping its right end", async () => {
    const response = await stack.call("POST", "/gateway/auth/login", {
      body: wrongPassword,
      headers: { "x-forwarded-for": `${"x".repeat(3000)}, 203.0.113.9` },
    });
    expect(response.status).toBe(401);
    expect(await lastFailedLoginAddress()).toBe("203.0.113.9");
  });
});
