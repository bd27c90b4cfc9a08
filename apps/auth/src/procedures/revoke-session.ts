import { z } from "zod";
import { revokeOwnSession } from "../domain/logout.js";
import { protectedProcedure } from "../trpc.js";

export const revokeSessionInputSchema = z.object({
  id: z.int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Ends one of the caller's own sessions; someone else's answers `revoked: false`. */
export const revokeSessionProcedure = protectedProcedure
  .input(revokeSessionInputSchema)
  .mutation(async ({ ctx, input }) => ({
    revoked: await revokeOwnSession(ctx.deps, ctx.caller, input.id, ctx.clientAddress),
  }));
