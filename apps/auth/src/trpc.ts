import { AppError, createServiceTRPC } from "@shop/kit";
import type { AuthDeps } from "./domain/deps.js";

export const { router, publicProcedure, protectedProcedure, adminProcedure } =
  createServiceTRPC<AuthDeps>();

/**
 * An admin procedure for sensitive reads (the audit log). The token's role
 * claim may be up to an access token's lifetime old, so the users service
 * confirms the caller is still an enabled admin; users down means 503, never
 * a pass.
 */
export const confirmedAdminProcedure = adminProcedure.use(async ({ ctx, next, path }) => {
  const status = await ctx.deps.users.accountStatus(ctx.caller.id, ctx);
  if (!status || status.disabled || status.role !== "admin") {
    ctx.log.warn(
      { event: "authorization_denied", userId: ctx.caller.id, path, reason: "not_admin_now" },
      "admin procedure denied: no longer an active admin",
    );
    throw new AppError("FORBIDDEN", "Administrator role required");
  }
  return next();
});
