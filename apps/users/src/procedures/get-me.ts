import { getUserById } from "../domain/users.js";
import { accountProcedure } from "../trpc.js";

/** The caller's own profile. */
export const meProcedure = accountProcedure.query(({ ctx }) =>
  getUserById(ctx.deps.db, ctx.account.id),
);
