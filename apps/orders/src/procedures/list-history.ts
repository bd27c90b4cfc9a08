import { z } from "zod";
import { listHistory } from "../domain/history.js";
import { protectedProcedure } from "../trpc.js";
import { cursorSchema, limitSchema } from "./inputs.js";

/** The caller's own action history, newest first, cursor-paged. */
export const listHistoryProcedure = protectedProcedure
  .input(
    z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() }).default({ limit: 20 }),
  )
  .query(({ ctx, input }) => listHistory(ctx.deps.db, ctx.caller.id, input));
