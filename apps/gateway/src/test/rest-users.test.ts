import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

let stack: Stack;
let admin: string;
let user1: string;
beforeAll(async () => {
  stack = await startStack();
  admin = (await stack.login(SEEDED.admin)).access;
  user1 = (await stack.login(SEEDED.user1)).access;
});
afterAll(() => stack.close());

const USER_KEYS = ["created_at", "email", "id", "role", "username"];

describe("users over REST", () => {
  it("every users route needs a token: 401 with WWW-Authenticate", async () => {
    for (const [method, path] of [
      ["GET", "/gateway/users/profile"],
      ["GET", "/gateway/users"],
      ["POST", "/gateway/users"],
      ["GET", "/gateway/users/1"],
      ["GET", "/gateway/users/by-username/admin"],
      ["PUT", "/gateway/users/1"],
      ["DELETE", "/gateway/users/1"],
    ] as const) {
      const response = await stack.call(method, path, { body: method === "GET" ? undefined : {} });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(response.body).toEqual({ message: expect.any(String) });
    }
  });

  it("GET /profile returns the caller, nothing more", async () => {
    const { status, body } = await stack.call("GET", "/gateway/users/profile", { token: user1 });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(USER_KEYS);
    expect(body).toMatchObject({ id: 2, username: "user1", role: "user" });
  });

  it("GET /users lists for an admin, 403 for others", async () => {
    const list = await stack.call("GET", "/gateway/users", { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(3);
    expect(list.body.users.map((u: { username: string }) => u.username)).toContain("maxim");
    expect(Object.keys(list.body.users[0]).sort()).toEqual(USER_KEYS);
    expect((await stack.call("GET", "/gateway/users", { token: user1 })).status).toBe(403);
  });

  it("POST /users creates (201), refuses invalid (400), duplicates (409) and non-admins (403)", async () => {
    const created = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { username: "newbie", password: "long-enough-1", email: "n@example.com" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      message: expect.any(String),
      user: { username: "newbie", role: "user", email: "n@example.com" },
    });
    const again = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { username: "NEWBIE", password: "long-enough-1" },
    });
    expect(again.status).toBe(409);
    const short = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { username: "shorty", password: "short" },
    });
    expect(short.status).toBe(400);
    const noName = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { password: "x" },
    });
    expect(noName.status).toBe(400);
    const badRole = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { username: "rooty", password: "long-enough-1", role: "root" },
    });
    expect(badRole.status).toBe(400);
    const byUser = await stack.call("POST", "/gateway/users", {
      token: user1,
      body: { username: "sneaky", password: "long-enough-1" },
    });
    expect(byUser.status).toBe(403);
  });

  it("GET /users/:id and /by-username/:username: self or admin, 403 otherwise, 404 unknown", async () => {
    expect((await stack.call("GET", "/gateway/users/2", { token: user1 })).body.username).toBe(
      "user1",
    );
    expect((await stack.call("GET", "/gateway/users/3", { token: admin })).body.username).toBe(
      "maxim",
    );
    expect((await stack.call("GET", "/gateway/users/3", { token: user1 })).status).toBe(403);
    expect((await stack.call("GET", "/gateway/users/9999", { token: admin })).status).toBe(404);
    expect((await stack.call("GET", "/gateway/users/abc", { token: admin })).status).toBe(404);
    const byName = await stack.call("GET", "/gateway/users/by-username/user1", { token: user1 });
    expect(byName.body).toMatchObject({ id: 2 });
    expect(
      (await stack.call("GET", "/gateway/users/by-username/maxim", { token: user1 })).status,
    ).toBe(403);
    expect(
      (await stack.call("GET", "/gateway/users/by-username/ghost", { token: admin })).status,
    ).toBe(404);
  });

  it("PUT /users/:id: self may change the email, only an admin the role", async () => {
    const own = await stack.call("PUT", "/gateway/users/2", {
      token: user1,
      body: { email: "user1@example.com" },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      message: expect.any(String),
      user: { email: "user1@example.com" },
    });
    const promote = await stack.call("PUT", "/gateway/users/2", {
      token: user1,
      body: { role: "admin" },
    });
    expect(promote.status).toBe(403);
    const other = await stack.call("PUT", "/gateway/users/3", {
      token: user1,
      body: { email: "someone@example.com" },
    });
    expect(other.status).toBe(403);
    const missing = await stack.call("PUT", "/gateway/users/9999", {
      token: admin,
      body: { email: "someone@example.com" },
    });
    expect(missing.status).toBe(404);
    const invalid = await stack.call("PUT", "/gateway/users/2", {
      token: admin,
      body: { email: 42 },
    });
    expect(invalid.status).toBe(400);
  });

  it("DELETE /users/:id: admin only, never self", async () => {
    const created = await stack.call("POST", "/gateway/users", {
      token: admin,
      body: { username: "doomed", password: "long-enough-1" },
    });
    const id = created.body.user.id;
    expect((await stack.call("DELETE", `/gateway/users/${id}`, { token: user1 })).status).toBe(403);
    expect((await stack.call("DELETE", "/gateway/users/1", { token: admin })).status).toBe(400);
    const deleted = await stack.call("DELETE", `/gateway/users/${id}`, { token: admin });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: expect.any(String) });
    expect((await stack.call("DELETE", `/gateway/users/${id}`, { token: admin })).status).toBe(404);
  });

  it("answers 400, never 500, when a service refuses a request too big to read", async () => {
    // Each quote doubles when JSON-encoded into the upstream URL, so this path
    // fits the gateway's header limit but not the users service's (431).
    const quotes = "%22".repeat(4_000);
    const response = await stack.call("GET", `/gateway/users/by-username/${quotes}`, {
      token: admin,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: expect.any(String) });
  });
});
