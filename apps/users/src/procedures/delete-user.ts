import { z } from "zod";
import { deleteUser } from "../domain/delete-user.js";
import { adminProcedure } from "../trpc.js";
import { userIdSchema } from "./inputs.js";

/** Admin: deletes another account (never one's own, never the last admin). */
export const deleteProcedure = adminProcedure
  .input(z.object({ id: userIdSchema }))
  .mutation(async ({ ctx, input }) => {
    await deleteUser(ctx.deps.db, ctx.account, input.id);
    ctx.log.info({ event: "user_deleted", userId: input.id, by: ctx.account.id }, "user deleted");
    return { message: "User deleted" };
  });
