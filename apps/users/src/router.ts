import { changePasswordProcedure } from "./procedures/change-password.js";
import { createProcedure } from "./procedures/create-user.js";
import { deleteProcedure } from "./procedures/delete-user.js";
import { meProcedure } from "./procedures/get-me.js";
import { byIdProcedure } from "./procedures/get-user-by-id.js";
import { byUsernameProcedure } from "./procedures/get-user-by-username.js";
import { listProcedure } from "./procedures/list-users.js";
import { updateProcedure } from "./procedures/update-user.js";
import { router } from "./trpc.js";

/** The public API at `/trpc/users`, relayed by the gateway. */
export const usersRouter = router({
  me: meProcedure,
  list: listProcedure,
  create: createProcedure,
  byId: byIdProcedure,
  byUsername: byUsernameProcedure,
  update: updateProcedure,
  changePassword: changePasswordProcedure,
  delete: deleteProcedure,
});

export type UsersRouter = typeof usersRouter;
