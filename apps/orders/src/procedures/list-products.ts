import { listProducts } from "../domain/catalog.js";
import { protectedProcedure } from "../trpc.js";

/** The catalog, for the SPA's product cards. */
export const listProductsProcedure = protectedProcedure.query(async ({ ctx }) => ({
  products: await listProducts(ctx.deps.db),
}));
