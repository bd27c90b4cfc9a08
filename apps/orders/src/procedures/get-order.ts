import { z } from "zod";
import { getVisibleOrder } from "../domain/orders.js";
import { protectedProcedure } from "../trpc.js";
import { idSchema } from "./inputs.js";

/** One order, for its owner or an admin; anyone else gets NOT_FOUND. */
export const getOrderProcedure = protectedProcedure
  .input(z.strictObject({ id: idSchema }))
  .query(({ ctx, input }) => getVisibleOrder(ctx.deps.reads, ctx.caller, input.id));
