import type { Caller } from "@shop/auth-kit";
import { recordAudit } from "./audit.js";
import type { AuthDeps } from "./deps.js";
import { isRefreshTokenShaped } from "./sessions/refresh-token.js";
import { revokeFamily, revokeUserFamilies } from "./sessions/session-lifecycle.js";
import { findRefreshToken } from "./sessions/session-store.js";

/** Ends the session a refresh token belongs to; an unknown token is not an error. */
export async function logout(deps: AuthDeps, token: string, ipAddress: string): Promise<void> {
  if (!isRefreshTokenShaped(token)) return;
  const found = await findRefreshToken(deps.db, token);
  if (!found) return;
  const now = deps.now();
  if (await revokeFamily(deps.db, found.family.id, "logout", now)) {
    await recordAudit(deps.db, {
      kind: "logout",
      userId: found.family.userId,
      ipAddress,
      details: { sessionId: found.family.id },
      now,
    });
  }
}

/** Ends every session of the caller. Access tokens already issued live out their 15 minutes. */
export async function logoutEverywhere(
  deps: AuthDeps,
  caller: Caller,
  ipAddress: string,
): Promise<number> {
  const now = deps.now();
  const revoked = await revokeUserFamilies(deps.db, caller.id, "logout_everywhere", now);
  await recordAudit(deps.db, {
    kind: "logout_everywhere",
    userId: caller.id,
    username: caller.username,
    ipAddress,
    details: { revokedSessions: revoked },
    now,
  });
  return revoked;
}

/** Ends one of the caller's own sessions; false when it is not theirs or already over. */
export async function revokeOwnSession(
  deps: AuthDeps,
  caller: Caller,
  sessionId: number,
  ipAddress: string,
): Promise<boolean> {
  const now = deps.now();
  const revoked = await revokeFamily(deps.db, sessionId, "revoked", now, caller.id);
  if (revoked) {
    await recordAudit(deps.db, {
      kind: "session_revoked",
      userId: caller.id,
      username: caller.username,
      ipAddress,
      details: { sessionId },
      now,
    });
  }
  return revoked;
}
