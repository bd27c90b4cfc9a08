import { orderStats } from "../domain/stats.js";
import { protectedProcedure } from "../trpc.js";

/** The caller's order count, money spent and orders per status. */
export const getStatsProcedure = protectedProcedure.query(({ ctx }) =>
  orderStats(ctx.deps.db, ctx.caller.id),
);
