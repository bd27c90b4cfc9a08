import { createPublicKey } from "node:crypto";
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { MintOptions } from "./test-issuer.js";

/** A hostile token and what it tries. */
export interface AttackToken {
  name: string;
  token: string;
}

function reencode(part: unknown): string {
  return base64url.encode(JSON.stringify(part));
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(part)));
}

/**
 * Tokens an outsider can build from one valid token and the public JWKS,
 * without the private key. Every verifier must refuse all of them.
 */
export async function forgedTokens(validToken: string, publicJwk: JWK): Promise<AttackToken[]> {
  const [h, p, s] = validToken.split(".") as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  const admin = { ...payload, role: "admin", sub: "1", username: "admin" };
  const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const attackerJwk = await exportJWK(attacker.publicKey);
  const publicPem = createPublicKey({ key: publicJwk as never, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
  const hmac = (secret: string) =>
    new SignJWT(admin)
      .setProtectedHeader({ ...header, alg: "HS256" })
      .sign(new TextEncoder().encode(secret));
  const withAttackerKey = (extraHeader: Record<string, unknown>) =>
    new SignJWT(admin)
      .setProtectedHeader({ ...header, alg: "EdDSA", ...extraHeader })
      .sign(attacker.privateKey);

  return [
    { name: "tampered payload, original signature", token: `${h}.${reencode(admin)}.${s}` },
    {
      name: "alg none, empty signature",
      token: `${reencode({ ...header, alg: "none" })}.${reencode(admin)}.`,
    },
    {
      name: "alg none, original signature",
      token: `${reencode({ ...header, alg: "none" })}.${reencode(admin)}.${s}`,
    },
    {
      name: "alg NONE upper-case",
      token: `${reencode({ ...header, alg: "NONE" })}.${reencode(admin)}.${s}`,
    },
    { name: "HS256 keyed with the public key PEM", token: await hmac(publicPem) },
    { name: "HS256 keyed with the public JWK", token: await hmac(JSON.stringify(publicJwk)) },
    { name: "HS256 keyed with the public key x", token: await hmac(String(publicJwk.x)) },
    { name: "foreign key with the known kid", token: await withAttackerKey({}) },
    { name: "embedded jwk header", token: await withAttackerKey({ jwk: attackerJwk }) },
    {
      name: "jku header to an attacker JWKS",
      token: await withAttackerKey({ jku: "http://127.0.0.1:9/jwks.json" }),
    },
    { name: "x5u header", token: await withAttackerKey({ x5u: "http://127.0.0.1:9/cert.pem" }) },
    { name: "no kid", token: await withAttackerKey({ kid: undefined }) },
    { name: "unknown kid", token: await withAttackerKey({ kid: "attacker-kid" }) },
    { name: "alg eddsa lower-case", token: `${reencode({ ...header, alg: "eddsa" })}.${p}.${s}` },
    { name: "oversized token", token: `${h}.${"A".repeat(5000)}.${s}` },
    { name: "not a JWT", token: "definitely-not-a-jwt" },
    { name: "JWE-shaped (five parts)", token: `${h}.${p}.${s}.${s}.${s}` },
  ];
}

/**
 * Tokens signed with the real key but issued wrongly. `mint` signs with the
 * issuer's key and defaults; each case overrides one thing.
 */
export async function misissuedTokens(
  mint: (o: MintOptions) => Promise<string>,
): Promise<AttackToken[]> {
  const now = Math.floor(Date.now() / 1000);
  const cases: Array<[string, MintOptions]> = [
    ["expired", { iat: now - 3600, exp: now - 1800 }],
    ["expired just past the leeway", { iat: now - 600, exp: now - 30 }],
    ["not valid yet (nbf)", { nbf: now + 600 }],
    ["issued in the future (iat)", { iat: now + 600, exp: now + 1500 }],
    ["older than the maximum token age", { iat: now - 7200, exp: now + 600 }],
    ["wrong issuer", { iss: "https://evil.example" }],
    ["wrong audience", { aud: "shop:somebody-else" }],
    ["wrong typ (JWT)", { typ: "JWT" }],
    ["service token typ", { typ: "svc+jwt" }],
    ["no typ", { typ: undefined as never }],
    ["sub is not a user id", { sub: "admin" }],
    ["role outside the allow-list", { role: "root" as never }],
  ];
  return Promise.all(cases.map(async ([name, o]) => ({ name, token: await mint(o) })));
}
