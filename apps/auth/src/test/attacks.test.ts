import { forgedTokens, misissuedTokens } from "@shop/auth-kit/testing";
import type { JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, type Harness, SEEDED, startHarness } from "./harness.js";

// Auth's own protected procedures verify bearer tokens with the same shared
// verifier as every service; these are the tokens an attacker would try.
let h: Harness;
let publicJwk: JWK;
beforeAll(async () => {
  h = await startHarness();
  const jwks = (await (await fetch(h.jwksUrl)).json()) as { keys: JWK[] };
  publicJwk = jwks.keys[0]!;
});
afterAll(() => h.close());

async function expectRefused(token: string, name: string) {
  const error = await errorOf(h.as(token).sessions.query());
  expect(error.data?.httpStatus, name).toBe(401);
  const verdict = await h.client().verify.query({ token });
  expect(verdict.valid, name).toBe(false);
}

describe("protected procedures refuse", () => {
  it("accept a genuine token (the control case)", async () => {
    const pair = await h.login(SEEDED.user1);
    await expect(h.as(pair.accessToken).sessions.query()).resolves.toHaveProperty("sessions");
    const minted = await h.signAccessToken();
    await expect(h.as(minted).sessions.query()).resolves.toHaveProperty("sessions");
  });

  it("every token forged from a valid one and the public JWKS", async () => {
    const pair = await h.login(SEEDED.user1);
    const attacks = await forgedTokens(pair.accessToken, publicJwk);
    expect(attacks.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        "alg none, empty signature",
        "HS256 keyed with the public key PEM",
        "foreign key with the known kid",
        "embedded jwk header",
        "tampered payload, original signature",
      ]),
    );
    for (const attack of attacks) await expectRefused(attack.token, attack.name);
  });

  it("every token mis-issued with the real key (expired, not yet valid, wrong iss/aud/typ...)", async () => {
    const attacks = await misissuedTokens((o) => h.signAccessToken(o));
    expect(attacks.length).toBeGreaterThanOrEqual(12);
    for (const attack of attacks) await expectRefused(attack.token, attack.name);
  });

  it("a token whose audience leaves out auth", async () => {
    await expectRefused(await h.signAccessToken({ aud: ["shop:gateway", "shop:orders"] }), "aud");
  });

  it("a refresh token used as an access token", async () => {
    const pair = await h.login(SEEDED.user1);
    await expectRefused(pair.refreshToken!, "refresh token as bearer");
  });

  it("a request without a token, with 401 and WWW-Authenticate", async () => {
    const res = await h.get("sessions", undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("identity headers in place of a token", async () => {
    const res = await h.get("sessions", undefined, { "x-user-id": "1", "x-user-role": "admin" });
    expect(res.status).toBe(401);
  });
});

describe("verify", () => {
  it("answers valid with the user and the claims", async () => {
    const pair = await h.login(SEEDED.admin);
    const verdict = await h.client().verify.query({ token: pair.accessToken });
    expect(verdict).toMatchObject({
      valid: true,
      user: { id: 1, username: "admin", role: "admin" },
      payload: { sub: "1", iss: "shop:auth" },
    });
  });

  it("answers invalid with a short reason only", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await h.signAccessToken({ iat: now - 3600, exp: now - 1800 });
    expect(await h.client().verify.query({ token: expired })).toEqual({
      valid: false,
      message: "Token has expired",
    });
    // Any other failure reads the same, whichever check it was.
    const [header, payload] = (await h.login(SEEDED.admin)).accessToken.split(".");
    const forged = `${header}.${payload}.${"A".repeat(86)}`;
    for (const token of ["nonsense", forged]) {
      expect(await h.client().verify.query({ token })).toEqual({
        valid: false,
        message: "Token is invalid",
      });
    }
  });
});
