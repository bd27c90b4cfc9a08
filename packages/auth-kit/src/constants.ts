/** Header `typ` of an access token (RFC 9068). */
export const ACCESS_TOKEN_TYP = "at+jwt";
/** Header `typ` of a service-to-service token: never accepted where a user token is. */
export const SERVICE_TOKEN_TYP = "svc+jwt";
/** The only signing algorithm anyone accepts. Case-sensitive on purpose. */
export const SIGNING_ALG = "EdDSA";

/** Audience ids: each service accepts a token only if its own id is in `aud`. */
export const AUDIENCE = {
  gateway: "shop:gateway",
  auth: "shop:auth",
  users: "shop:users",
  orders: "shop:orders",
  /** The users service's internal API, reachable only with auth's service token. */
  usersInternal: "shop:users:internal",
} as const;
export type Audience = (typeof AUDIENCE)[keyof typeof AUDIENCE];

/** Every audience a user's access token carries: the APIs a signed-in user may call. */
export const USER_AUDIENCES: readonly Audience[] = [
  AUDIENCE.gateway,
  AUDIENCE.auth,
  AUDIENCE.users,
  AUDIENCE.orders,
];

/** Default issuer; production sets JWT_ISSUER to the auth service's public URL. */
export const DEFAULT_ISSUER = "shop:auth";

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const SERVICE_TOKEN_TTL_S = 60;
/** Compact JWTs above this length are rejected before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
/** Allowed clock skew between machines, in seconds. */
export const CLOCK_TOLERANCE_S = 5;

/** What every refused access token is told; which check failed goes to the log only. */
export const INVALID_TOKEN_MESSAGE = "Invalid or expired token";
/** RFC 6750 §3.1: a token was presented and refused (no error code when none was). */
export const INVALID_TOKEN_CHALLENGE = 'Bearer realm="shop", error="invalid_token"';
