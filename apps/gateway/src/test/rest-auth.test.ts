import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ loginRateLimit: 50 });
});
afterAll(() => stack.close());

describe("POST /gateway/auth/login", () => {
  it("returns both tokens, their expiry and the user", async () => {
    const { status, body, headers } = await stack.call("POST", "/gateway/auth/login", {
      body: SEEDED.maxim,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: "Bearer",
      message: expect.any(String),
      user: { id: 3, username: "maxim", role: "user", created_at: expect.any(String) },
    });
    expect(body.access_token.split(".")).toHaveLength(3);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(body.access_expires_at)).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(Date.parse(body.refresh_expires_at)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(body.user).not.toHaveProperty("password_hash");
    expect(headers.get("set-cookie")).toBeNull();
    // The same user object as the profile route's, from the login's own answer.
    const profile = await stack.call("GET", "/gateway/users/profile", {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(body.user).toEqual(profile.body);
  });

  it("answers 400 for a missing field and for a body that is not JSON", async () => {
    const missing = await stack.call("POST", "/gateway/auth/login", { body: { username: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/password/);
    const notJson = await stack.call("POST", "/gateway/auth/login", { body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ message: expect.any(String) });
  });

  it("answers the same 401 for a wrong password and an unknown user", async () => {
    const wrong = await stack.call("POST", "/gateway/auth/login", {
      body: { username: "admin", password: "wrong-password" },
    });
    const unknown = await stack.call("POST", "/gateway/auth/login", {
      body: { username: "nobody-here", password: "wrong-password" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });
});

describe("POST /gateway/auth/verify", () => {
  it("tells a valid token from an invalid one", async () => {
    const { access } = await stack.login(SEEDED.user1);
    const valid = await stack.call("POST", "/gateway/auth/verify", { body: { token: access } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ valid: true, user: { id: 2, username: "user1" } });
    // A user object as CONTRACT.md has it, as login and profile answer it.
    expect(Object.keys(valid.body.user).sort()).toEqual([
      "created_at",
      "email",
      "id",
      "role",
      "username",
    ]);
    const profile = await stack.call("GET", "/gateway/users/profile", { token: access });
    expect(valid.body.user).toEqual(profile.body);
    const invalid = await stack.call("POST", "/gateway/auth/verify", { body: { token: "x.y.z" } });
    expect(invalid.status).toBe(200);
    expect(invalid.body).toMatchObject({ valid: false, message: expect.any(String) });
    expect((await stack.call("POST", "/gateway/auth/verify", { body: {} })).status).toBe(400);
  });

  it("answers a token that is not a compact JWS as invalid, whatever its characters", async () => {
    // Short in UTF-16 units, long in bytes: it must not become a 400 on the way to auth.
    for (const token of ["é".repeat(3000), "€".repeat(4096), `a.b.${"😀".repeat(1000)}`, "a b.c"]) {
      const answer = await stack.call("POST", "/gateway/auth/verify", { body: { token } });
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 200,
        body: { valid: false, message: expect.any(String) },
      });
    }
  });

  it("answers a token far too long as invalid, not 500 (found by the abuse suite)", async () => {
    for (const length of [4097, 20_000]) {
      const long = await stack.call("POST", "/gateway/auth/verify", {
        body: { token: "A".repeat(length) },
      });
      expect(long.status).toBe(200);
      expect(long.body).toEqual({ valid: false, message: expect.any(String) });
    }
  });
});

describe("POST /gateway/auth/refresh and logout", () => {
  it("rotates the refresh token; reusing the old one revokes the login", async () => {
    const { refresh } = await stack.login(SEEDED.user1);
    const first = await stack.call("POST", "/gateway/auth/refresh", {
      body: { refresh_token: refresh },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: "Bearer", access_token: expect.any(String) });
    expect(first.body.refresh_token).not.toBe(refresh);
    expect(first.body).not.toHaveProperty("user");

    // Far past the reuse grace: auth's own tests cover the grace window; here
    // the successor is used, then the old token comes back.
    const second = await stack.call("POST", "/gateway/auth/refresh", {
      body: { refresh_token: first.body.refresh_token },
    });
    expect(second.status).toBe(200);
    const missing = await stack.call("POST", "/gateway/auth/refresh", { body: {} });
    expect(missing.status).toBe(400);
    const invalid = await stack.call("POST", "/gateway/auth/refresh", {
      body: { refresh_token: "not-a-real-token" },
    });
    expect(invalid.status).toBe(401);
  });

  it("logs out: the refresh token stops working; an unknown token still answers 200", async () => {
    const { refresh } = await stack.login(SEEDED.maxim);
    const out = await stack.call("POST", "/gateway/auth/logout", {
      body: { refresh_token: refresh },
    });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ message: expect.any(String) });
    const after = await stack.call("POST", "/gateway/auth/refresh", {
      body: { refresh_token: refresh },
    });
    expect(after.status).toBe(401);
    const unknown = await stack.call("POST", "/gateway/auth/logout", {
      body: { refresh_token: "unknown-token" },
    });
    expect(unknown.status).toBe(200);
    expect((await stack.call("POST", "/gateway/auth/logout", { body: {} })).status).toBe(400);
  });
});
