import { decodeProtectedHeader, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { z } from "zod";
import { CLOCK_TOLERANCE_S, MAX_TOKEN_LENGTH, SIGNING_ALG } from "./constants.js";
import type { RemoteKeySet } from "./jwks.js";

/** Why a token was refused; never shown verbatim to clients beyond a short message. */
export type TokenErrorReason =
  | "malformed"
  | "header"
  | "unknown_key"
  | "key_unavailable"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "claims";

/** The one error a verifier throws. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(
    readonly reason: TokenErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions<T extends { exp: number; iat: number }> {
  /**
   * Key resolver, usually {@link createRemoteKeySet}: then a remembered token
   * is forgotten once a key-set refresh no longer publishes its `kid`.
   */
  keys: JWTVerifyGetKey | RemoteKeySet;
  issuer: string;
  /** This verifier's own audience id: it must appear in `aud`. */
  audience: string;
  /** Exact header `typ`. */
  typ: string;
  /** Schema the payload must satisfy after the signature checks out. */
  claims: z.ZodType<T>;
  /** Oldest acceptable `iat`, in seconds; the clock leeway is allowed on top of it. */
  maxTokenAgeS: number;
  clockToleranceS?: number;
  /** How many verified tokens to remember until they expire; 0 disables the cache. */
  cacheSize?: number;
  /** Clock in milliseconds; tests move it. */
  now?: () => number;
}

/** Verifies compact JWS tokens against one fixed policy. */
export interface TokenVerifier<T> {
  verify(token: string): Promise<T>;
}

// Three base64url segments, none empty: rules out `alg: none` tokens before parsing.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Headers that would let a token choose its own key; never followed, so never accepted.
const KEY_CHOOSING_HEADERS = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64"];
const REQUIRED_CLAIMS = ["iss", "aud", "sub", "jti", "iat", "exp"];

/**
 * The first check every verifier makes, before any parsing: at most
 * {@link MAX_TOKEN_LENGTH} characters, three non-empty base64url segments
 * (ASCII only, so characters and bytes count the same).
 */
export function isCompactJws(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(token);
}

/**
 * Builds the one verify function every service and the gateway use. Checks, in
 * order: size, compact form, header (`alg` exactly EdDSA, `kid` present, exact
 * `typ`, no key-choosing headers), signature against the key set, `iss`, `aud`,
 * time claims with a small leeway, `maxTokenAge`, then the claims schema.
 *
 * A token that passed is remembered (keyed by its exact text) until it expires,
 * so a hot path pays for one signature check per token, not per request.
 */
export function createTokenVerifier<T extends { exp: number; iat: number }>(
  options: TokenVerifierOptions<T>,
): TokenVerifier<T> {
  const now = options.now ?? Date.now;
  const tolerance = options.clockToleranceS ?? CLOCK_TOLERANCE_S;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, CacheEntry<T>>();
  const keySet = "publishes" in options.keys ? options.keys : null;

  /** The one check a cache hit pays for a key set: a number compared, a set read when it moved. */
  function stillPublished(entry: CacheEntry<T>): boolean {
    if (keySet === null || entry.generation === keySet.generation) return true;
    if (!keySet.publishes(entry.kid)) return false;
    entry.generation = keySet.generation;
    return true;
  }

  /** Checks the header before any signature work; returns its `kid`. */
  function checkHeader(token: string): string {
    if (!isCompactJws(token)) {
      throw new TokenError("malformed", "Token is not a compact JWS");
    }
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new TokenError("malformed", "Token header is unreadable");
    }
    if (header.alg !== SIGNING_ALG) throw new TokenError("header", "Token algorithm not allowed");
    if (typeof header.kid !== "string" || header.kid.length === 0 || header.kid.length > 128) {
      throw new TokenError("header", "Token has no key id");
    }
    if (header.typ !== options.typ) throw new TokenError("header", "Token type not accepted");
    if (KEY_CHOOSING_HEADERS.some((name) => name in header)) {
      throw new TokenError("header", "Token header not accepted");
    }
    return header.kid;
  }

  function remember(token: string, claims: T, kid: string, generation: number): void {
    if (cacheSize <= 0) return;
    if (cache.size >= cacheSize) {
      // Map keeps insertion order: drop the oldest entry.
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    const validUntilMs = Math.min(claims.exp, claims.iat + options.maxTokenAgeS) * 1000;
    cache.set(token, { claims, validUntilMs, kid, generation });
  }

  async function verify(token: string): Promise<T> {
    const cached = cache.get(token);
    if (cached) {
      if (cached.validUntilMs > now() && stillPublished(cached)) return cached.claims;
      cache.delete(token);
    }
    const kid = checkHeader(token);
    // Read before the key lookup: a refresh during it makes the entry recheck its kid.
    const generation = keySet?.generation ?? 0;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        algorithms: [SIGNING_ALG],
        issuer: options.issuer,
        audience: options.audience,
        typ: options.typ,
        maxTokenAge: options.maxTokenAgeS,
        clockTolerance: tolerance,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw toTokenError(error);
    }
    const parsed = options.claims.safeParse(payload);
    if (!parsed.success) throw new TokenError("claims", "Token claims are invalid");
    remember(token, parsed.data, kid, generation);
    return parsed.data;
  }

  return { verify };
}

interface CacheEntry<T> {
  claims: T;
  validUntilMs: number;
  kid: string;
  /** The key set's generation when `kid` was last seen published. */
  generation: number;
}

function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError("expired", "Token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || error.claim === "iat") {
      return new TokenError("not_yet_valid", "Token is not valid yet");
    }
    return new TokenError("claims", `Token ${error.claim} claim is invalid`);
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new TokenError("unknown_key", "Token signed by an unknown key");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError("signature", "Token signature is invalid");
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenError("header", "Token algorithm not allowed");
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new TokenError("key_unavailable", "Signing keys are unavailable");
  }
  if (error instanceof errors.JOSEError) return new TokenError("malformed", "Token is invalid");
  // A network failure while fetching the key set.
  return new TokenError("key_unavailable", "Signing keys are unavailable");
}
