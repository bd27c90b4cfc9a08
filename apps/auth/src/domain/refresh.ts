import { AppError } from "@shop/kit";
import { recordAudit } from "./audit.js";
import type { AuthDeps } from "./deps.js";
import { type IssuedPair, newAccessJti, type SessionUser, signFor } from "./sessions/issue.js";
import { isRefreshTokenShaped, openSuccessor } from "./sessions/refresh-token.js";
import { revokeFamily } from "./sessions/session-lifecycle.js";
import {
  type FoundRefreshToken,
  findRefreshToken,
  rotateRefreshToken,
  touchLiveFamily,
} from "./sessions/session-store.js";
import type { CallContext } from "./users-client.js";

const invalid = () => new AppError("UNAUTHORIZED", "Invalid refresh token");
const revoked = () => new AppError("UNAUTHORIZED", "Session has been revoked");
const expired = () => new AppError("UNAUTHORIZED", "Session has expired");

/** Why a session refused to rotate, or null when it is still live. */
function endedError(family: FoundRefreshToken["family"], now: number): AppError | null {
  if (family.revokedAt !== null) return revoked();
  return family.expiresAt <= now ? expired() : null;
}

/** Within the grace window, the successor an earlier redemption sealed for this token's holder. */
function graceSuccessor(deps: AuthDeps, found: FoundRefreshToken, token: string, now: number) {
  if (found.usedAt === null || found.successorSealed === null || found.successorId === null) {
    return null;
  }
  if (now - found.usedAt > deps.config.refreshReuseGraceS * 1000) return null;
  const successor = openSuccessor(token, found.successorSealed);
  return successor ? { token: successor, tokenId: found.successorId } : null;
}

/** Whether the password changed after the session began (by the stamp seen at login). */
function passwordChanged(
  current: number,
  family: { passwordStamp: number | null; createdAt: number },
): boolean {
  return family.passwordStamp === null
    ? current > family.createdAt
    : current !== family.passwordStamp;
}

/**
 * The account may go on only if it still exists, is enabled, kept its password,
 * and was not disabled since the session began (its session stamp moved).
 */
async function checkAccount(
  deps: AuthDeps,
  found: FoundRefreshToken,
  call: CallContext & { ipAddress: string },
): Promise<SessionUser> {
  const status = await deps.users.accountStatus(found.family.userId, call);
  const reason = !status
    ? "account_deleted"
    : status.disabled
      ? "account_disabled"
      : passwordChanged(status.passwordChangedAt, found.family)
        ? "password_changed"
        : status.sessionStamp !== (found.family.sessionStamp ?? 0)
          ? "sessions_invalidated"
          : null;
  if (!status || reason) {
    await revokeFamily(deps.db, found.family.id, "account", deps.now());
    await recordAudit(deps.db, {
      kind: "refresh_denied",
      userId: found.family.userId,
      username: status?.username,
      ipAddress: call.ipAddress,
      details: { reason, sessionId: found.family.id },
    });
    throw new AppError("UNAUTHORIZED", "Session is no longer valid; sign in again");
  }
  return {
    id: status.id,
    username: status.username,
    email: status.email,
    role: status.role,
    createdAt: status.createdAt,
  };
}

/**
 * Redeems a refresh token for a new pair. The token rotates on each use; a
 * second redemption of the same token within REFRESH_REUSE_GRACE_S (two tabs
 * racing) gets the same successor; any later one is reuse: the whole family is
 * revoked and the event audited.
 */
export async function refresh(
  deps: AuthDeps,
  token: string,
  call: CallContext & { ipAddress: string },
): Promise<IssuedPair> {
  if (!isRefreshTokenShaped(token)) throw invalid();
  const found = await findRefreshToken(deps.db, token);
  if (!found) throw invalid();
  const now = deps.now();
  const ended = endedError(found.family, now);
  if (ended) throw ended;

  let successor = found.usedAt === null ? null : graceSuccessor(deps, found, token, now);
  if (found.usedAt !== null && !successor) {
    await revokeFamily(deps.db, found.family.id, "reuse", now);
    await recordAudit(deps.db, {
      kind: "refresh_reuse_detected",
      userId: found.family.userId,
      ipAddress: call.ipAddress,
      details: { sessionId: found.family.id, rotatedAt: new Date(found.usedAt).toISOString() },
      now,
    });
    call.log.warn(
      { event: "refresh_reuse_detected", sessionId: found.family.id },
      "refresh token reuse",
    );
    throw new AppError("UNAUTHORIZED", "Refresh token was already used; session revoked");
  }

  const user = await checkAccount(deps, found, call);
  const jti = newAccessJti();
  // The session is checked live again in the write that claims the token (or,
  // handing out an earlier successor, in one that touches the session): a
  // logout while the account was being checked leaves nothing to issue.
  if (!successor) {
    const rotated = await rotateRefreshToken(deps.db, found, token, { accessJti: jti, now });
    if (rotated) {
      successor = { token: rotated.token, tokenId: rotated.tokenId };
    } else {
      // Revoked or expired meanwhile, or a concurrent redemption won the race a
      // moment ago: then hand out its successor.
      const again = await findRefreshToken(deps.db, token);
      const endedSince = again && endedError(again.family, deps.now());
      if (endedSince) throw endedSince;
      successor = again && graceSuccessor(deps, again, token, deps.now());
      if (!successor) throw invalid();
      if (!(await touchLiveFamily(deps.db, found.family.id, deps.now()))) throw revoked();
    }
  } else if (!(await touchLiveFamily(deps.db, found.family.id, deps.now()))) {
    throw revoked();
  }
  return {
    access: await signFor(deps, user, jti, now),
    refreshToken: successor.token,
    refreshExpiresAt: found.family.expiresAt,
    sessionId: found.family.id,
    user,
  };
}
