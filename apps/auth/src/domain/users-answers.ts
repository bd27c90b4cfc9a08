import { roleSchema } from "@shop/auth-kit";
import { z } from "zod";

// What auth needs of users' answers, checked at run time: users is deployed on
// its own, and an older or newer one may answer without a field (sessionStamp
// before it existed). A missing field read as undefined would revoke sessions
// (undefined !== 0) or fail a login's insert; refused here, it is an outage.
const accountFields = {
  id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  passwordChangedAt: z.number().int(),
  /** Bumped by users on each disable. */
  sessionStamp: z.number().int(),
  /** When the account was made, ISO-8601 UTC. */
  createdAt: z.string(),
};

/** The account behind a correct username and password. */
export const verifiedAccountSchema = z.object(accountFields);
export type VerifiedAccount = z.infer<typeof verifiedAccountSchema>;

/** An account's current standing, checked before each refresh. */
export const accountStatusSchema = z.object({ ...accountFields, disabled: z.boolean() });
export type AccountStatus = z.infer<typeof accountStatusSchema>;
