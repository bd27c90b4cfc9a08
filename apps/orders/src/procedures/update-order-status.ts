import { z } from "zod";
import { updateOrderStatus } from "../domain/order-status.js";
import { protectedProcedure } from "../trpc.js";
import { idSchema, orderStatusSchema } from "./inputs.js";

/** Moves an order through its state machine (owner: cancel own pending; admin: any legal move). */
export const updateOrderStatusProcedure = protectedProcedure
  .input(z.strictObject({ id: idSchema, status: orderStatusSchema }))
  .mutation(({ ctx, input }) => updateOrderStatus(ctx.deps, ctx.caller, input.id, input.status));
