import { z } from "zod";
import { accountStatus } from "../../domain/credentials.js";
import { internalProcedure } from "../../trpc.js";

/** Auth's check before each refresh: role, disabled flag, last password change. */
export const accountStatusProcedure = internalProcedure
  .input(z.object({ userId: z.int().positive() }))
  .query(({ ctx, input }) => accountStatus(ctx.deps.db, input.userId));
