import { AppError } from "@shop/kit";
import { z } from "zod";
import { getUserById } from "../domain/users.js";
import { accountProcedure } from "../trpc.js";
import { userIdSchema } from "./inputs.js";

/** A user by id: oneself, or anyone for an admin. */
export const byIdProcedure = accountProcedure
  .input(z.object({ id: userIdSchema }))
  .query(({ ctx, input }) => {
    // Refused before the look-up, so the answer does not reveal whether the id exists.
    if (ctx.account.role !== "admin" && ctx.account.id !== input.id) {
      throw new AppError("FORBIDDEN", "You may only view your own account");
    }
    return getUserById(ctx.deps.db, input.id);
  });
