import { toUser } from "../domain/users.js";
import { accountProcedure } from "../trpc.js";

/** The caller's own profile (already loaded by accountProcedure). */
export const meProcedure = accountProcedure.query(({ ctx }) => toUser(ctx.account));
