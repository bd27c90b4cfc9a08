import { z } from "zod";
import { verifyCredentials } from "../../domain/credentials.js";
import { presentedPasswordSchema } from "../../domain/password.js";
import { deadlineProcedure } from "../../trpc.js";

/**
 * Auth's login check: the account on a correct password, one answer for every
 * failure. SERVICE_UNAVAILABLE (Retry-After) when the compare could not finish
 * before the caller's deadline and was dropped unstarted.
 */
export const verifyCredentialsProcedure = deadlineProcedure
  .input(z.object({ username: z.string().min(1).max(64), password: presentedPasswordSchema }))
  .mutation(({ ctx, input }) =>
    verifyCredentials(
      ctx.deps.db,
      ctx.deps.passwords,
      input.username,
      input.password,
      ctx.deadline,
    ),
  );
