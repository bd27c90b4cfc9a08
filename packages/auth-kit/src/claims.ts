import { z } from "zod";

/** Roles a user can hold. */
export const roleSchema = z.enum(["admin", "user"]);
export type Role = z.infer<typeof roleSchema>;

/** The claims of a verified access token, after every check has passed. */
export const accessClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().regex(/^[1-9][0-9]{0,15}$/, "sub must be a user id"),
  username: z.string().min(1).max(64),
  role: roleSchema,
  jti: z.string().min(8).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** The claims of a service token: `sub` names the calling service. */
export const serviceClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().min(1).max(64),
  jti: z.string().min(8).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type ServiceClaims = z.infer<typeof serviceClaimsSchema>;

/** The caller as services see it: numeric id, name, role, and the token's id and expiry. */
export interface Caller {
  id: number;
  username: string;
  role: Role;
  tokenId: string;
  expiresAt: number;
}

/** Maps verified claims to the caller object every procedure works with. */
export function callerFromClaims(claims: AccessClaims): Caller {
  return {
    id: Number(claims.sub),
    username: claims.username,
    role: claims.role,
    tokenId: claims.jti,
    expiresAt: claims.exp,
  };
}
