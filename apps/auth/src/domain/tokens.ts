import { randomUUID } from "node:crypto";
import {
  ACCESS_TOKEN_TYP,
  AUDIENCE,
  type Role,
  SERVICE_TOKEN_TTL_S,
  SERVICE_TOKEN_TYP,
  SIGNING_ALG,
  USER_AUDIENCES,
} from "@shop/auth-kit";
import { SignJWT } from "jose";
import type { KeyStore } from "./keys/index.js";

/** The user an access token speaks for. */
export interface TokenSubject {
  id: number;
  username: string;
  role: Role;
}

export interface SignedAccessToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

/**
 * Signs a user access token exactly as DESIGN.md says: EdDSA, `typ: at+jwt`,
 * `kid`; `iss`, `aud` (every user API), `sub`, `username`, `role`, `iat`,
 * `exp` (15 minutes), `jti`.
 */
export async function signAccessToken(
  keys: KeyStore,
  options: { issuer: string; ttlS: number; now?: number; jti?: string },
  subject: TokenSubject,
): Promise<SignedAccessToken> {
  const { kid, key } = await keys.signingKey();
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = iat + options.ttlS;
  const jti = options.jti ?? randomUUID();
  const token = await new SignJWT({ username: subject.username, role: subject.role })
    .setProtectedHeader({ alg: SIGNING_ALG, typ: ACCESS_TOKEN_TYP, kid })
    .setIssuer(options.issuer)
    .setAudience([...USER_AUDIENCES])
    .setSubject(String(subject.id))
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, jti, expiresAt: new Date(exp * 1000) };
}

/**
 * Auth's token for the users service's internal API (`typ: svc+jwt`, 60 s),
 * reused until about 10 s before it expires so a login costs no extra signature.
 */
export class ServiceTokenSource {
  #cached: { token: string; refreshAfterMs: number } | null = null;

  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    const now = this.now();
    if (this.#cached && now < this.#cached.refreshAfterMs) return this.#cached.token;
    const { kid, key } = await this.keys.signingKey();
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: SIGNING_ALG, typ: SERVICE_TOKEN_TYP, kid })
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE.usersInternal)
      .setSubject("auth")
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + SERVICE_TOKEN_TTL_S)
      .sign(key);
    this.#cached = { token, refreshAfterMs: (iat + SERVICE_TOKEN_TTL_S - 10) * 1000 };
    return token;
  }
}
