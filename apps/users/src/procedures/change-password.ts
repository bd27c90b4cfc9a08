import { z } from "zod";
import { changePassword } from "../domain/change-password.js";
import { newPasswordSchema, presentedPasswordSchema } from "../domain/password.js";
import { accountProcedure } from "../trpc.js";

/** The caller's own password, given the current one; ends every other session at its next refresh. */
export const changePasswordProcedure = accountProcedure
  .input(z.object({ currentPassword: presentedPasswordSchema, newPassword: newPasswordSchema }))
  .mutation(async ({ ctx, input }) => {
    await changePassword(
      ctx.deps.db,
      ctx.deps.passwords,
      ctx.deps.passwordGuesses,
      ctx.account.id,
      input.currentPassword,
      input.newPassword,
    );
    ctx.log.info({ event: "password_changed", userId: ctx.account.id }, "password changed");
    return { message: "Password changed; other sessions end at their next refresh" };
  });
