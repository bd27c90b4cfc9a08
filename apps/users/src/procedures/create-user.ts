import { z } from "zod";
import { createUser } from "../domain/create-user.js";
import { newPasswordSchema } from "../domain/password.js";
import { adminProcedure } from "../trpc.js";
import { emailSchema, newUsernameSchema, roleSchema } from "./inputs.js";

/** Admin: creates an account (CONFLICT when the username is taken in any case). */
export const createProcedure = adminProcedure
  .input(
    z.object({
      username: newUsernameSchema,
      password: newPasswordSchema,
      email: emailSchema.nullish(),
      role: roleSchema.default("user"),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const user = await createUser(ctx.deps.db, ctx.deps.passwords, input);
    ctx.log.info({ event: "user_created", userId: user.id, by: ctx.account.id }, "user created");
    return user;
  });
