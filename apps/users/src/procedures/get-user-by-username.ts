import { AppError } from "@shop/kit";
import { z } from "zod";
import { getUserByUsername } from "../domain/users.js";
import { accountProcedure } from "../trpc.js";
import { usernameLookupSchema } from "./inputs.js";

/** A user by username (any case): oneself, or anyone for an admin. */
export const byUsernameProcedure = accountProcedure
  .input(z.object({ username: usernameLookupSchema }))
  .query(({ ctx, input }) => {
    // Refused before the look-up, so the answer does not reveal whether the name exists.
    if (
      ctx.account.role !== "admin" &&
      ctx.account.username.toLowerCase() !== input.username.toLowerCase()
    ) {
      throw new AppError("FORBIDDEN", "You may only view your own account");
    }
    return getUserByUsername(ctx.deps.db, input.username);
  });
