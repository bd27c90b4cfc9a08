import { z } from "zod";
import { listOrders } from "../domain/orders.js";
import { protectedProcedure } from "../trpc.js";
import { cursorSchema, limitSchema } from "./inputs.js";

export const listOrdersInputSchema = z
  .strictObject({
    limit: limitSchema,
    cursor: cursorSchema.optional(),
    scope: z.enum(["mine", "all"]).default("mine"),
  })
  .default({ limit: 20, scope: "mine" });

/** The caller's orders (or everyone's, for an admin), newest first, cursor-paged. */
export const listOrdersProcedure = protectedProcedure
  .input(listOrdersInputSchema)
  .query(({ ctx, input }) => listOrders(ctx.deps.reads, ctx.caller, input));
