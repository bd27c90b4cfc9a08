import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessVerifier } from "./access.js";
import { bearerToken } from "./bearer.js";
import { AUDIENCE, type Audience } from "./constants.js";
import { createRemoteKeySet } from "./jwks.js";
import { forgedTokens, misissuedTokens } from "./testing/attacks.js";
import { createTestIssuer, type TestIssuer } from "./testing/test-issuer.js";
import { TokenError } from "./verify.js";

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());

function verifierFor(audience: Audience = AUDIENCE.orders) {
  return createAccessVerifier({
    keys: createRemoteKeySet(issuer.jwksUrl),
    issuer: issuer.issuer,
    audience,
  });
}

describe("createAccessVerifier", () => {
  it("accepts a well-formed token and returns the caller", async () => {
    const caller = await verifierFor().verify(
      await issuer.mintAccess({ sub: "7", username: "maxim" }),
    );
    expect(caller).toMatchObject({ id: 7, username: "maxim", role: "user" });
  });

  it("refuses every forged token", async () => {
    const verifier = verifierFor();
    const valid = await issuer.mintAccess();
    for (const attack of await forgedTokens(valid, issuer.publicJwk)) {
      await expect(verifier.verify(attack.token), attack.name).rejects.toBeInstanceOf(TokenError);
    }
  });

  it("refuses every mis-issued token signed with the real key", async () => {
    const verifier = verifierFor();
    for (const attack of await misissuedTokens((o) => issuer.mintAccess(o))) {
      await expect(verifier.verify(attack.token), attack.name).rejects.toBeInstanceOf(TokenError);
    }
  });

  it("refuses a token whose audience names another service", async () => {
    const token = await issuer.mintAccess({ aud: [AUDIENCE.gateway, AUDIENCE.users] });
    await expect(verifierFor(AUDIENCE.orders).verify(token)).rejects.toMatchObject({
      reason: "claims",
    });
    await expect(verifierFor(AUDIENCE.users).verify(token)).resolves.toMatchObject({ id: 1 });
  });

  it("remembers a verified token only until it expires", async () => {
    let clock = Date.now();
    const verifier = createAccessVerifier({
      keys: createRemoteKeySet(issuer.jwksUrl),
      issuer: issuer.issuer,
      audience: AUDIENCE.orders,
      now: () => clock,
    });
    const iat = Math.floor(clock / 1000);
    const token = await issuer.mintAccess({ iat, exp: iat + 60 });
    await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 1 });
    clock += 70_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: "expired" });
  });

  it("keeps serving the last key set when the issuer goes away", async () => {
    const other = await createTestIssuer();
    const verifier = createAccessVerifier({
      keys: createRemoteKeySet(other.jwksUrl, { cacheMaxAgeMs: 0, cooldownMs: 0 }),
      issuer: other.issuer,
      audience: AUDIENCE.orders,
      cacheSize: 0,
    });
    await verifier.verify(await other.mintAccess());
    const second = await other.mintAccess();
    await other.close();
    await expect(verifier.verify(second)).resolves.toMatchObject({ id: 1 });
  });
});

describe("bearerToken", () => {
  it("reads only a bearer credential", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic dXNlcg==")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
