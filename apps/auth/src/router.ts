import { auditProcedure } from "./procedures/list-audit-events.js";
import { sessionsProcedure } from "./procedures/list-sessions.js";
import { loginProcedure } from "./procedures/login.js";
import { logoutProcedure } from "./procedures/logout.js";
import { logoutEverywhereProcedure } from "./procedures/logout-everywhere.js";
import { refreshProcedure } from "./procedures/refresh-session.js";
import { revokeSessionProcedure } from "./procedures/revoke-session.js";
import { verifyProcedure } from "./procedures/verify-token.js";
import { router } from "./trpc.js";

export const authRouter = router({
  login: loginProcedure,
  refresh: refreshProcedure,
  logout: logoutProcedure,
  logoutEverywhere: logoutEverywhereProcedure,
  verify: verifyProcedure,
  sessions: sessionsProcedure,
  revokeSession: revokeSessionProcedure,
  audit: auditProcedure,
});

export type AuthRouter = typeof authRouter;
