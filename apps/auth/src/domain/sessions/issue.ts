import { randomUUID } from "node:crypto";
import type { Role } from "@shop/auth-kit";
import type { AuthDeps } from "../deps.js";
import { type SignedAccessToken, signAccessToken } from "../tokens.js";

/** The user as login and refresh return them. */
export interface SessionUser {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  /** When the account was made, ISO-8601 UTC (from users, at login and at each refresh). */
  createdAt: string;
}

/** An access token and a refresh token, before the transport (body or cookie) is chosen. */
export interface IssuedPair {
  access: SignedAccessToken;
  refreshToken: string;
  refreshExpiresAt: number;
  sessionId: number;
  user: SessionUser;
}

/** A fresh jti, chosen before the refresh token row is written so the row can record it. */
export function newAccessJti(): string {
  return randomUUID();
}

/** Signs the access token for `user` with the jti recorded on its refresh token. */
export function signFor(deps: AuthDeps, user: SessionUser, jti: string, now: number) {
  return signAccessToken(
    deps.keys,
    { issuer: deps.config.issuer, ttlS: deps.config.accessTokenTtlS, now, jti },
    user,
  );
}
