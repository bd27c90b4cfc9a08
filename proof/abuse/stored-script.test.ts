import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SCRIPT_FRAGMENTS,
  SQL_FRAGMENTS,
  UNICODE_FRAGMENTS,
  wellFormed,
} from "./support/arbitraries.js";
import { type Answer, send } from "./support/http.js";
import { call } from "./support/matrix-world.js";
import { type AbuseStack, SEEDED, startAbuseStack } from "./support/stack.js";

// Hostile text the APIs accept and store, then hand back: to an admin (audit
// usernames), to the user (session user agents, emails). It must come back
// verbatim, as a JSON string, in a response no browser would render as HTML.

let stack: AbuseStack;
let admin: string;

beforeAll(async () => {
  stack = await startAbuseStack();
  admin = await stack.token({ ...SEEDED.admin, role: "admin" });
});
afterAll(async () => {
  await stack?.close();
});

/** JSON, labelled so, never sniffable into HTML. */
function expectInertJson(answer: Answer): void {
  expect(answer.headers.get("content-type")).toMatch(/^application\/json\b/);
  expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  expect(answer.json).toBeDefined();
}

let address = 0;
/** A distinct client address per attempt (auth believes the loopback proxy), so no throttle hides an attempt. */
const freshAddress = () =>
  `198.51.100.${(address++ % 250) + 1}, 10.0.${address >> 8}.${address & 255}`;

async function auditUsernames(base: string): Promise<string[]> {
  const answer = await call(
    base,
    "auth",
    "audit",
    "query",
    { kind: "login_failed", limit: 100 },
    admin,
  );
  expectInertJson(answer);
  expect(answer.status).toBe(200);
  return (answer.data as { events: Array<{ username: string | null }> }).events.map(
    (e) => e.username ?? "",
  );
}

// Control characters (NUL, CR, LF…) are refused at login: a name holding one
// could forge or split a log line. NUL has its own test below.
const CONTROL = /\p{Cc}/u;
const CANDIDATES = [
  ...SCRIPT_FRAGMENTS,
  ...SQL_FRAGMENTS,
  ...UNICODE_FRAGMENTS.filter((u) => u === wellFormed(u) && !u.includes("\u0000")),
];
const HOSTILE = CANDIDATES.filter((u) => !CONTROL.test(u));
const WITH_CONTROL = CANDIDATES.filter((u) => CONTROL.test(u));

describe("usernames of failed logins, shown to an admin in the audit log", () => {
  it("come back verbatim as JSON strings, straight and through the gateway", async () => {
    for (const username of HOSTILE) {
      const rest = await send(stack.urls.gateway, {
        method: "POST",
        path: "/gateway/auth/login",
        headers: { "content-type": "application/json", "x-forwarded-for": freshAddress() },
        body: JSON.stringify({ username, password: "wrong-password" }),
      });
      expect([username, rest.status]).toEqual([username, 401]);
      expectInertJson(rest);
    }
    for (const username of WITH_CONTROL) {
      const refused = await send(stack.urls.gateway, {
        method: "POST",
        path: "/gateway/auth/login",
        headers: { "content-type": "application/json", "x-forwarded-for": freshAddress() },
        body: JSON.stringify({ username, password: "wrong-password" }),
      });
      expect([username, refused.status]).toEqual([username, 400]);
      expectInertJson(refused);
    }
    for (const base of [stack.urls.auth, stack.urls.gateway]) {
      const stored = await auditUsernames(base);
      for (const username of HOSTILE) expect(stored).toContain(username);
      for (const username of WITH_CONTROL) expect(stored).not.toContain(username);
    }
  });

  it("any well-formed string up to 64 characters survives the round trip", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: "binary", minLength: 1, maxLength: 64 })
          .map((text) => wellFormed(text).replaceAll("\u0000", "0")),
        async (username) => {
          const login = await send(stack.urls.auth, {
            method: "POST",
            path: "/trpc/auth/login",
            headers: { "content-type": "application/json", "x-forwarded-for": freshAddress() },
            body: JSON.stringify({ username, password: "wrong-password" }),
          });
          expectInertJson(login);
          const [latest] = await auditUsernames(stack.urls.auth);
          if (CONTROL.test(username)) {
            expect(login.status).toBe(400);
            expect(latest).not.toBe(username);
          } else {
            expect(login.status).toBe(401);
            expect(latest).toBe(username);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a NUL byte never turns an attempt into one at another account in the log", async () => {
    // Refusing such a name, or keeping it whole, are both fine; cutting it at
    // the NUL forges the log ("user1" failed to log in, when nobody tried).
    const forged = "user1\u0000-not-really";
    const login = await send(stack.urls.auth, {
      method: "POST",
      path: "/trpc/auth/login",
      headers: { "content-type": "application/json", "x-forwarded-for": freshAddress() },
      body: JSON.stringify({ username: forged, password: "wrong-password" }),
    });
    expectInertJson(login);
    expect(login.status).toBeGreaterThanOrEqual(400);
    expect(login.status).toBeLessThan(500);
    const [latest] = await auditUsernames(stack.urls.auth);
    expect(latest).not.toBe("user1");
  });
});

describe("user agents of sessions, shown to their owner", () => {
  it("come back verbatim as JSON strings", async () => {
    for (const fragment of [...SCRIPT_FRAGMENTS, ...SQL_FRAGMENTS]) {
      const login = await send(stack.urls.gateway, {
        method: "POST",
        path: "/trpc/auth/login",
        headers: { "content-type": "application/json", "user-agent": fragment },
        body: JSON.stringify({ username: SEEDED.user1.username, password: SEEDED.user1.password }),
      });
      expectInertJson(login);
      const token = (login.json as { result: { data: { accessToken: string } } }).result.data
        .accessToken;
      const sessions = await call(
        stack.urls.gateway,
        "auth",
        "sessions",
        "query",
        undefined,
        token,
      );
      expectInertJson(sessions);
      const current = (
        sessions.data as { sessions: Array<{ current: boolean; userAgent: string }> }
      ).sessions.find((s) => s.current);
      expect(current?.userAgent).toBe(fragment);
    }
  });
});

describe("emails", () => {
  it("an email carrying SQL is stored and returned verbatim, and the table is intact", async () => {
    const email = "a'--@example.com";
    const created = await send(stack.urls.gateway, {
      method: "POST",
      path: "/gateway/users",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ username: "quote.user", password: "password-123", email }),
    });
    expectInertJson(created);
    expect(created.status).toBe(201);
    const { user } = created.json as { user: { id: number; email: string } };
    expect(user.email).toBe(email);
    const byId = await send(stack.urls.gateway, {
      method: "GET",
      path: `/gateway/users/${user.id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expectInertJson(byId);
    expect((byId.json as { email: string }).email).toBe(email);
    const list = await call(
      stack.urls.users,
      "users",
      "list",
      "query",
      { search: "'--", limit: 100 },
      admin,
    );
    expect((list.data as { users: Array<{ email: string }> }).users.map((u) => u.email)).toContain(
      email,
    );
    const all = await call(stack.urls.users, "users", "list", "query", { limit: 100 }, admin);
    expect((all.data as { total: number }).total).toBeGreaterThanOrEqual(4);
  });

  it("an email carrying script is refused with a JSON 400, and nothing is stored", async () => {
    for (const [i, fragment] of SCRIPT_FRAGMENTS.entries()) {
      for (const email of [fragment, `${fragment}@example.com`, `a@example.com${fragment}`]) {
        const answer = await send(stack.urls.gateway, {
          method: "POST",
          path: "/gateway/users",
          headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
          body: JSON.stringify({ username: `script.${i}`, password: "password-123", email }),
        });
        expectInertJson(answer);
        expect([email, answer.status]).toEqual([email, 400]);
      }
      const lookup = await call(
        stack.urls.users,
        "users",
        "byUsername",
        "query",
        { username: `script.${i}` },
        admin,
      );
      expect(lookup.status).toBe(404);
    }
  });
});

describe("hostile text echoed in an error message", () => {
  it("stays inside a JSON string", async () => {
    const token = await stack.token({ ...SEEDED.user1, role: "user" });
    for (const fragment of SCRIPT_FRAGMENTS) {
      const answer = await send(stack.urls.gateway, {
        method: "POST",
        path: "/gateway/orders",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ product_name: fragment, quantity: 1 }),
      });
      expectInertJson(answer);
      expect(answer.status).toBe(400);
      expect(typeof (answer.json as { message: unknown }).message).toBe("string");
    }
  });
});
