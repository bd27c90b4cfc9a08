import { accountStatusProcedure } from "./procedures/internal/get-account-status.js";
import { verifyCredentialsProcedure } from "./procedures/internal/verify-credentials.js";
import { router } from "./trpc.js";

/** The internal API at `/internal/trpc`: auth's service token only, never relayed by the gateway. */
export const usersInternalRouter = router({
  verifyCredentials: verifyCredentialsProcedure,
  accountStatus: accountStatusProcedure,
});

export type UsersInternalRouter = typeof usersInternalRouter;
