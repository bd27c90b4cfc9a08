import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, SEEDED, startHarness } from "./harness.js";

const { privateKey } = generateKeyPairSync("ed25519");
const privateJwk = privateKey.export({ format: "jwk" }) as JWK;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: { privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
  });
});
afterAll(() => h.close());

it("signs with AUTH_PRIVATE_KEY, publishes it, and stores nothing private", async () => {
  const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: privateJwk.x! });
  const pair = await h.login(SEEDED.user1);
  expect(decodeProtectedHeader(pair.accessToken).kid).toBe(kid);
  const jwks = (await (await fetch(h.jwksUrl)).json()) as { keys: JWK[] };
  expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
  expect(JSON.stringify(jwks)).not.toContain(privateJwk.d!);
  const { rows } = await h.sql.execute("select kid, private_jwk from signing_keys");
  expect(rows).toEqual([expect.objectContaining({ kid, private_jwk: null })]);
  // The users service accepted auth's service token signed with it (login worked), and
  // auth accepts its own access tokens.
  await expect(h.as(pair.accessToken).sessions.query()).resolves.toHaveProperty("sessions");
});
