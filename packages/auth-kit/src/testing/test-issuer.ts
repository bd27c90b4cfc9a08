import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { Role } from "../claims.js";
import {
  ACCESS_TOKEN_TYP,
  DEFAULT_ISSUER,
  SERVICE_TOKEN_TYP,
  USER_AUDIENCES,
} from "../constants.js";

/** What a test token may override. Times are in seconds since the epoch. */
export interface MintOptions {
  sub?: string;
  username?: string;
  role?: Role;
  aud?: string | string[];
  iss?: string;
  typ?: string;
  kid?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  jti?: string;
  extraHeader?: Record<string, unknown>;
  extraClaims?: Record<string, unknown>;
  key?: CryptoKey;
}

/** A stand-in token issuer for service tests: an Ed25519 key and its JWKS over real HTTP. */
export interface TestIssuer {
  issuer: string;
  kid: string;
  jwksUrl: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Signs a user access token; the defaults make a valid one for user 1. */
  mintAccess(options?: MintOptions): Promise<string>;
  /** Signs a service token (`typ: svc+jwt`). */
  mintService(options?: MintOptions): Promise<string>;
  /** Replaces what the JWKS publishes (a key withdrawn, another added); `publicJwk` at start. */
  publish(keys: JWK[]): void;
  close(): Promise<void>;
}

/** Starts a JWKS server on 127.0.0.1 with a fresh key. */
export async function createTestIssuer(issuer = DEFAULT_ISSUER): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", {
    crv: "Ed25519",
    extractable: true,
  });
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  let published: JWK[] = [publicJwk];
  const server = createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: published }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  async function mint(
    defaults: { typ: string; aud: string | string[]; sub: string },
    o: MintOptions,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      username: o.username ?? "user1",
      role: o.role ?? "user",
      ...o.extraClaims,
    };
    if (defaults.typ === SERVICE_TOKEN_TYP) {
      delete claims.username;
      delete claims.role;
    }
    if (o.nbf !== undefined) claims.nbf = o.nbf;
    const iat = o.iat ?? now;
    return new SignJWT(claims)
      .setProtectedHeader({
        alg: "EdDSA",
        // An explicit `typ: undefined` means "no typ header", not "the default".
        typ: "typ" in o ? o.typ : defaults.typ,
        kid: o.kid ?? kid,
        ...o.extraHeader,
      })
      .setIssuer(o.iss ?? issuer)
      .setAudience(o.aud ?? defaults.aud)
      .setSubject(o.sub ?? defaults.sub)
      .setJti(o.jti ?? randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(o.exp ?? iat + 15 * 60)
      .sign(o.key ?? privateKey);
  }

  return {
    issuer,
    kid,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    privateKey,
    publicJwk,
    mintAccess: (o = {}) => mint({ typ: ACCESS_TOKEN_TYP, aud: [...USER_AUDIENCES], sub: "1" }, o),
    mintService: (o = {}) =>
      mint({ typ: SERVICE_TOKEN_TYP, aud: "shop:users:internal", sub: "auth" }, o),
    publish: (keys) => {
      published = keys;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
