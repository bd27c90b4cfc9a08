import { base64url, type JWTVerifyGetKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessVerifier } from "./access.js";
import { ACCESS_TOKEN_TTL_S, AUDIENCE, CLOCK_TOLERANCE_S, USER_AUDIENCES } from "./constants.js";
import { createRemoteKeySet } from "./jwks.js";
import { createTestIssuer, type TestIssuer } from "./testing/test-issuer.js";

// The token rules of DESIGN.md one by one, each tried at and past its limit.
// The verifier's clock is fixed: no result depends on when the test runs.

let issuer: TestIssuer;
let keys: JWTVerifyGetKey;
/** How many times a verifier asked for a key: once per token not served from its cache. */
let keyCalls = 0;
beforeAll(async () => {
  issuer = await createTestIssuer();
  const remote = createRemoteKeySet(issuer.jwksUrl);
  keys = (header, token) => {
    keyCalls++;
    return remote(header, token);
  };
});
afterAll(() => issuer.close());

const NOW_S = 1_900_000_000;

function verifier(options: { cacheSize?: number } = {}) {
  return createAccessVerifier({
    keys,
    issuer: issuer.issuer,
    audience: AUDIENCE.orders,
    now: () => NOW_S * 1000,
    ...options,
  });
}

describe("typ", () => {
  it("is exactly at+jwt: no case, media-type or whitespace variant passes", async () => {
    await expect(verifier().verify(await issuer.mintAccess({ iat: NOW_S }))).resolves.toBeTruthy();
    for (const typ of [
      "AT+JWT",
      "At+Jwt",
      "application/at+jwt",
      "application/AT+JWT",
      " at+jwt",
      "at+jwt ",
      "jwt",
      "",
    ]) {
      const token = await issuer.mintAccess({ iat: NOW_S, typ });
      await expect(verifier().verify(token), typ).rejects.toMatchObject({ reason: "header" });
    }
    for (const typ of [["at+jwt"], 1, null]) {
      const token = await issuer.mintAccess({ iat: NOW_S, extraHeader: { typ } });
      await expect(verifier().verify(token), String(typ)).rejects.toMatchObject({
        reason: "header",
      });
    }
  });
});

describe("clock leeway", () => {
  type Times = { iat?: number; exp?: number; nbf?: number };
  const mint = (o: Times) => issuer.mintAccess({ iat: NOW_S - 60, exp: NOW_S + 600, ...o });
  /** The token at the limit passes; the one a second past it is refused, for `reason`. */
  async function atAndPast(at: Times, past: Times, reason: string) {
    await expect(verifier().verify(await mint(at))).resolves.toBeTruthy();
    await expect(verifier().verify(await mint(past))).rejects.toMatchObject({ reason });
  }

  it("accepts a token expired by less than the leeway, refuses one expired by more", async () => {
    const limit = NOW_S - CLOCK_TOLERANCE_S;
    await atAndPast({ exp: limit + 1 }, { exp: limit }, "expired");
    await atAndPast({ exp: limit + 1 }, { exp: NOW_S - 3600 }, "expired");
  });

  it("refuses nbf in the future beyond the leeway", async () => {
    const limit = NOW_S + CLOCK_TOLERANCE_S;
    await atAndPast({ nbf: limit }, { nbf: limit + 1 }, "not_yet_valid");
  });

  it("refuses iat in the future beyond the leeway", async () => {
    const limit = NOW_S + CLOCK_TOLERANCE_S;
    await atAndPast({ iat: limit }, { iat: limit + 1 }, "not_yet_valid");
  });

  it("allows the leeway once past the maximum token age, not twice", async () => {
    const limit = NOW_S - ACCESS_TOKEN_TTL_S - CLOCK_TOLERANCE_S;
    await atAndPast({ iat: limit }, { iat: limit - 1 }, "expired");
  });

  it("refuses a token expired in the cache as soon as exp has passed", async () => {
    let clock = NOW_S * 1000;
    const cached = createAccessVerifier({
      keys,
      issuer: issuer.issuer,
      audience: AUDIENCE.orders,
      now: () => clock,
    });
    const token = await mint({ exp: NOW_S + 10 });
    await expect(cached.verify(token)).resolves.toBeTruthy();
    clock = (NOW_S + 10 + CLOCK_TOLERANCE_S) * 1000;
    await expect(cached.verify(token)).rejects.toMatchObject({ reason: "expired" });
  });
});

describe("the verified-token cache", () => {
  it("holds at most cacheSize tokens: inserting more evicts the oldest", async () => {
    const size = 10;
    const bounded = verifier({ cacheSize: size });
    const tokens = await Promise.all(
      Array.from({ length: 5 * size }, () => issuer.mintAccess({ iat: NOW_S })),
    );
    const before = keyCalls;
    for (const token of tokens) await bounded.verify(token);
    expect(keyCalls - before).toBe(tokens.length);
    // Newest first: only the last `size` can be served without a key lookup.
    const again = keyCalls;
    for (const token of [...tokens].reverse()) await bounded.verify(token);
    expect(keyCalls - again).toBe(tokens.length - size);
  });

  it("drops a remembered token once a key-set refresh no longer publishes its kid", async () => {
    const revoking = await createTestIssuer();
    const other = await createTestIssuer();
    try {
      const remote = createRemoteKeySet(revoking.jwksUrl, { cacheMaxAgeMs: 0, cooldownMs: 0 });
      const cached = createAccessVerifier({
        keys: remote,
        issuer: revoking.issuer,
        audience: AUDIENCE.orders,
        now: () => NOW_S * 1000,
      });
      const token = await revoking.mintAccess({ iat: NOW_S });
      const refresh = async () => {
        // Any token the cache does not know makes the stale key set refetch.
        await cached.verify(await revoking.mintAccess({ iat: NOW_S })).catch(() => {});
      };
      await expect(cached.verify(token)).resolves.toMatchObject({ id: 1 });
      // A refresh that adds a key keeps the remembered token.
      revoking.publish([revoking.publicJwk, other.publicJwk]);
      await refresh();
      await expect(cached.verify(token)).resolves.toMatchObject({ id: 1 });
      // A refresh without its key: refused from then on.
      revoking.publish([other.publicJwk]);
      await refresh();
      await expect(cached.verify(token)).rejects.toMatchObject({ reason: "unknown_key" });
    } finally {
      await revoking.close();
      await other.close();
    }
  });

  it("remembers nothing with cacheSize 0", async () => {
    const uncached = verifier({ cacheSize: 0 });
    const token = await issuer.mintAccess({ iat: NOW_S });
    const before = keyCalls;
    await uncached.verify(token);
    await uncached.verify(token);
    expect(keyCalls - before).toBe(2);
  });
});

describe("crit", () => {
  async function signWithCrit(header: Record<string, unknown>): Promise<string> {
    const payload = {
      iss: issuer.issuer,
      aud: [...USER_AUDIENCES],
      sub: "1",
      username: "user1",
      role: "user",
      jti: "crit-test-jti",
      iat: NOW_S,
      exp: NOW_S + 600,
    };
    // Signed by hand: jose's signer refuses a crit it does not know, an attacker's does not.
    const encode = (part: unknown) => base64url.encode(JSON.stringify(part));
    const head = encode({ alg: "EdDSA", typ: "at+jwt", kid: issuer.kid, ...header });
    const input = `${head}.${encode(payload)}`;
    const signature = await crypto.subtle.sign(
      "Ed25519",
      issuer.privateKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url.encode(new Uint8Array(signature))}`;
  }

  it("refuses any token with a crit header, whatever it names", async () => {
    // The same token without crit passes: what is refused below is crit alone.
    await expect(verifier().verify(await signWithCrit({}))).resolves.toBeTruthy();
    for (const header of [
      { crit: ["shop-ext"], "shop-ext": 1 },
      { crit: ["exp"], exp: NOW_S + 600 },
      { crit: ["b64"], b64: true },
    ]) {
      const token = await signWithCrit(header);
      await expect(verifier().verify(token), JSON.stringify(header)).rejects.toMatchObject({
        reason: "header",
      });
    }
  });
});
