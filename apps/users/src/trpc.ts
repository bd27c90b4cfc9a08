import { createServiceTRPC, deadlineFromTimeoutHeader, TIMEOUT_HEADER } from "@shop/kit";
import { TRPCError } from "@trpc/server";
import type { UsersDb } from "./db/index.js";
import type { FailureLimiter } from "./domain/failure-limiter.js";
import type { PasswordHasher } from "./domain/password.js";
import { findAccount } from "./domain/users.js";
import type { Config } from "./env.js";

/** What every procedure gets in `ctx.deps`. */
export interface Deps {
  db: UsersDb;
  passwords: PasswordHasher;
  /** Wrong current passwords given to changePassword, per user. */
  passwordGuesses: FailureLimiter;
  config: Config;
  /**
   * Which surface the request came in on. The public and internal routers are
   * mounted with different verifiers; each procedure kind also checks this, so
   * a procedure mounted on the wrong router fails closed.
   */
  surface: "public" | "internal";
}

const t = createServiceTRPC<Deps>();

export const router = t.router;

/**
 * A signed-in user of the public API whose account still exists and is
 * enabled. `ctx.account.role` comes from the database, not from the token, so
 * a demotion or a disablement takes effect at once rather than at token expiry.
 */
export const accountProcedure = t.protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.deps.surface !== "public") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Authentication required" });
  }
  const account = await findAccount(ctx.deps.db, ctx.caller.id);
  if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: "Account no longer exists" });
  if (account.disabled) throw new TRPCError({ code: "FORBIDDEN", message: "Account disabled" });
  return next({ ctx: { account } });
});

/** An enabled administrator, per the database. */
export const adminProcedure = accountProcedure.use(({ ctx, next, path }) => {
  if (ctx.account.role !== "admin") {
    ctx.log.warn(
      { event: "authorization_denied", userId: ctx.account.id, path },
      "admin procedure denied",
    );
    throw new TRPCError({ code: "FORBIDDEN", message: "Administrator role required" });
  }
  return next();
});

/** A call on the internal API, authenticated by auth's service token (see service-verifier.ts). */
export const internalProcedure = t.publicProcedure.use(({ ctx, next }) => {
  if (ctx.deps.surface !== "internal" || !ctx.caller) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.authError?.message ?? "Service token required",
    });
  }
  return next();
});

/**
 * An internal call whose caller said how long it will wait (`x-timeout-ms`):
 * `ctx.deadline` (epoch ms) is taken here, before the input is even parsed,
 * so work that cannot answer in time is dropped rather than done for nobody.
 */
export const deadlineProcedure = internalProcedure.use(({ ctx, next }) => {
  const deadline = deadlineFromTimeoutHeader(ctx.headers.get(TIMEOUT_HEADER), Date.now());
  if (deadline === null) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${TIMEOUT_HEADER} must be a whole number of milliseconds (at most 8 digits)`,
    });
  }
  return next({ ctx: { deadline } });
});
