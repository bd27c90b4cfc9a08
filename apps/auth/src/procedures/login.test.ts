import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("login", () => {
  it("returns a token pair and the user, tokens in the body without an Origin", async () => {
    const pair = await h.login(SEEDED.admin);
    expect(pair).toMatchObject({
      tokenType: "Bearer",
      user: { id: 1, username: "admin", role: "admin" },
    });
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(pair.refreshExpiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3600e3 - 60e3);
    expect(Date.parse(pair.accessExpiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60e3);
  });

  it("signs the access token exactly as DESIGN.md says", async () => {
    const pair = await h.login(SEEDED.maxim);
    const header = decodeProtectedHeader(pair.accessToken);
    const jwks = (await (await fetch(h.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    expect(header).toEqual({ alg: "EdDSA", typ: "at+jwt", kid: jwks.keys[0]!.kid });
    const claims = decodeJwt(pair.accessToken);
    expect(Object.keys(claims).sort()).toEqual(
      ["aud", "exp", "iat", "iss", "jti", "role", "sub", "username"].sort(),
    );
    expect(claims).toMatchObject({
      iss: "shop:auth",
      aud: ["shop:gateway", "shop:auth", "shop:users", "shop:orders"],
      sub: "3",
      username: "maxim",
      role: "user",
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
  });

  it("refuses control characters in a username, so nothing is audited under another name", async () => {
    const attempt = h.client().login.mutate({ username: "user1\u0000-not-really", password: "x" });
    expect(await codeOf(attempt)).toBe("BAD_REQUEST");
  });

  it("refuses a password with a lone UTF-16 surrogate as 400, not as a wrong password", async () => {
    // Hashing would read "\uD800" and "\uDFFF" alike (both become U+FFFD).
    const failures = async () =>
      Number((await h.sql.execute("select count(*) as n from audit_events")).rows[0]!.n);
    const before = await failures();
    const error = await errorOf(
      h.client().login.mutate({ username: "user1", password: "password1\uD800" }),
    );
    expect(error.data?.httpStatus).toBe(400);
    expect(error.message).toMatch(/not valid Unicode/);
    expect(await failures()).toBe(before);
  });

  it("answers a wrong password and an unknown user with the same 401", async () => {
    const wrong = await errorOf(h.client().login.mutate({ username: "user1", password: "nope" }));
    const unknown = await errorOf(
      h.client().login.mutate({ username: "nobody-here", password: "nope" }),
    );
    expect(wrong.data?.httpStatus).toBe(401);
    expect(unknown.data?.httpStatus).toBe(401);
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.message).toBe("Invalid username or password");
  });

  it("rejects unbounded input as 400", async () => {
    const long = h.client().login.mutate({ username: "a".repeat(65), password: "x" });
    expect(await codeOf(long)).toBe("BAD_REQUEST");
    expect(await codeOf(h.client().login.mutate({ username: "a", password: "" }))).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("JWKS and health", () => {
  it("publishes public keys only, with kid, alg and use, cacheable briefly", async () => {
    const res = await fetch(h.jwksUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=15");
    const body = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(body.keys.length).toBeGreaterThan(0);
    for (const key of body.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    }
  });

  it("reports health", async () => {
    const res = await fetch(`${h.url}/health`);
    expect(await res.json()).toEqual({ status: "healthy", service: "auth", port: 0 });
  });
});
