import { z } from "zod";
import { newPasswordSchema } from "../domain/password.js";
import { updateUser } from "../domain/update-user.js";
import { accountProcedure } from "../trpc.js";
import { emailSchema, roleSchema, userIdSchema } from "./inputs.js";

/** Self or admin: email; admin only: role, disabled, another user's password. */
export const updateProcedure = accountProcedure
  .input(
    z.object({
      id: userIdSchema,
      email: emailSchema.nullable().optional(),
      role: roleSchema.optional(),
      disabled: z.boolean().optional(),
      password: newPasswordSchema.optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const user = await updateUser(ctx.deps.db, ctx.deps.passwords, ctx.account, input);
    ctx.log.info(
      {
        event: "user_updated",
        userId: user.id,
        by: ctx.account.id,
        fields: Object.keys(input).filter((key) => key !== "id"),
      },
      "user updated",
    );
    return user;
  });
