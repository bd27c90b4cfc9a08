import { createServiceTRPC } from "@shop/kit";
import { confirmAdmin } from "./domain/confirm-admin.js";
import type { AuthDeps } from "./domain/deps.js";

// No plain adminProcedure: auth's admin reads go through confirmedAdminProcedure.
export const { router, publicProcedure, protectedProcedure } = createServiceTRPC<AuthDeps>();

/**
 * An admin procedure for sensitive reads (the audit log): the users service
 * confirms the caller is still an enabled admin, and refusals are audited
 * (see {@link confirmAdmin}).
 */
export const confirmedAdminProcedure = protectedProcedure.use(async ({ ctx, next, path }) => {
  await confirmAdmin(ctx.deps, ctx.caller, { ...ctx, ipAddress: ctx.clientAddress, path });
  return next();
});
