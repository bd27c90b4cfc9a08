import type { JWTVerifyGetKey } from "jose";
import {
  type AccessClaims,
  accessClaimsSchema,
  type Caller,
  callerFromClaims,
  type ServiceClaims,
  serviceClaimsSchema,
} from "./claims.js";
import {
  ACCESS_TOKEN_TTL_S,
  ACCESS_TOKEN_TYP,
  type Audience,
  SERVICE_TOKEN_TTL_S,
  SERVICE_TOKEN_TYP,
} from "./constants.js";
import { createTokenVerifier } from "./verify.js";

/** What a service needs to know to accept tokens. */
export interface VerifierConfig {
  keys: JWTVerifyGetKey;
  issuer: string;
  /** The verifying service's own audience id. */
  audience: Audience;
  cacheSize?: number;
  now?: () => number;
}

/** Verifies user access tokens (`typ: at+jwt`) and returns the caller. */
export interface AccessVerifier {
  verify(token: string): Promise<Caller>;
  /** The raw claims, for the gateway's verify route. */
  verifyClaims(token: string): Promise<AccessClaims>;
}

/** The shared access-token verifier: the one policy of DESIGN.md, for one audience. */
export function createAccessVerifier(config: VerifierConfig): AccessVerifier {
  const verifier = createTokenVerifier({
    keys: config.keys,
    issuer: config.issuer,
    audience: config.audience,
    typ: ACCESS_TOKEN_TYP,
    claims: accessClaimsSchema,
    // jose adds the clock leeway to the age itself: adding it here allowed it twice.
    maxTokenAgeS: ACCESS_TOKEN_TTL_S,
    cacheSize: config.cacheSize,
    now: config.now,
  });
  return {
    verifyClaims: (token) => verifier.verify(token),
    verify: async (token) => callerFromClaims(await verifier.verify(token)),
  };
}

/** Verifies service tokens (`typ: svc+jwt`), used by internal APIs only. */
export function createServiceVerifier(config: VerifierConfig) {
  return createTokenVerifier<ServiceClaims>({
    keys: config.keys,
    issuer: config.issuer,
    audience: config.audience,
    typ: SERVICE_TOKEN_TYP,
    claims: serviceClaimsSchema,
    maxTokenAgeS: SERVICE_TOKEN_TTL_S,
    cacheSize: config.cacheSize ?? 100,
    now: config.now,
  });
}
