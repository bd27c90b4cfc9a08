import { z } from "zod";
import { verifyCredentials } from "../../domain/credentials.js";
import { internalProcedure } from "../../trpc.js";

/** Auth's login check: the account on a correct password, one answer for every failure. */
export const verifyCredentialsProcedure = internalProcedure
  .input(z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }))
  .mutation(({ ctx, input }) =>
    verifyCredentials(ctx.deps.db, ctx.deps.passwords, input.username, input.password),
  );
