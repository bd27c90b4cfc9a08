import { z } from "zod";
import { payOrder } from "../domain/pay-order.js";
import { paymentLeaseMs } from "../domain/payment-store.js";
import { protectedProcedure } from "../trpc.js";
import { idempotencyKeySchema, idSchema } from "./inputs.js";

export const payOrderInputSchema = z.strictObject({
  orderId: idSchema,
  /**
   * Chosen by the client per payment intent; a retry with the same key never
   * charges twice. Without one the key is derived from the order.
   */
  idempotencyKey: idempotencyKeySchema.optional(),
});

/** Pays the caller's pending order: primary bank behind the breaker, backup as fallback. */
export const payOrderProcedure = protectedProcedure
  .input(payOrderInputSchema)
  .mutation(({ ctx, input }) => {
    const { db, reads, bank, breaker, refunds, config } = ctx.deps;
    const leaseMs = paymentLeaseMs(config.bankTimeoutMs);
    return payOrder(
      { db, reads, bank, breaker, refunds, leaseMs, log: ctx.log },
      ctx.caller,
      input.orderId,
      input.idempotencyKey,
    );
  });
