import { protectedProcedure } from "../trpc.js";

/** The primary bank's circuit breaker, as the home page shows it. */
export const getBreakerStatusProcedure = protectedProcedure.query(({ ctx }) =>
  ctx.deps.breaker.status(),
);
