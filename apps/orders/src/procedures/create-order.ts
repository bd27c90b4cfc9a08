import { z } from "zod";
import { createOrder } from "../domain/orders.js";
import { protectedProcedure } from "../trpc.js";
import { idempotencyKeySchema, idSchema } from "./inputs.js";

export const createOrderInputSchema = z.strictObject({
  items: z
    .array(z.strictObject({ productId: idSchema, quantity: z.number().int().min(1).max(100) }))
    .min(1)
    .max(20),
  /** Optional: a create retried with the same key answers the order it placed. */
  idempotencyKey: idempotencyKeySchema.optional(),
});

/** Places an order; prices come from the catalog (a client price is not even accepted). */
export const createOrderProcedure = protectedProcedure
  .input(createOrderInputSchema)
  .mutation(({ ctx, input }) =>
    createOrder(ctx.deps.db, ctx.deps.reads, ctx.caller, input.items, input.idempotencyKey),
  );
