import {
  type AccessVerifier,
  createServiceVerifier,
  TokenError,
  type VerifierConfig,
} from "@shop/auth-kit";

/** The only service allowed to call the internal API. */
export const INTERNAL_CALLER = "auth";

/**
 * Verifies auth's service tokens (`typ: svc+jwt`, `aud: shop:users:internal`,
 * `sub: auth`) for the internal route. It fits the kit's `mountTrpc`, which
 * expects a user verifier: the "caller" it yields is the calling service
 * (id 0, username "auth"), which only internal procedures ever see.
 */
export function createInternalVerifier(options: {
  keys: VerifierConfig["keys"];
  issuer: string;
  audience: "shop:users:internal";
}): AccessVerifier {
  const verifier = createServiceVerifier(options);
  return {
    async verify(token) {
      const claims = await verifier.verify(token);
      if (claims.sub !== INTERNAL_CALLER) {
        throw new TokenError("claims", "Token subject is not allowed here");
      }
      return {
        id: 0,
        username: claims.sub,
        role: "user",
        tokenId: claims.jti,
        expiresAt: claims.exp,
      };
    },
    async verifyClaims() {
      throw new TokenError("header", "Service tokens carry no user claims");
    },
  };
}
