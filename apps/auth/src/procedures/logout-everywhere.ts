import { logoutEverywhere } from "../domain/logout.js";
import { protectedProcedure } from "../trpc.js";

/** Ends every session of the caller. */
export const logoutEverywhereProcedure = protectedProcedure.mutation(async ({ ctx }) => ({
  revokedSessions: await logoutEverywhere(ctx.deps, ctx.caller, ctx.clientAddress),
}));
