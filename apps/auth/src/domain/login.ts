import { AppError } from "@shop/kit";
import { auditInsert, recordAudit } from "./audit.js";
import type { AuthDeps } from "./deps.js";
import { type IssuedPair, newAccessJti, signFor } from "./sessions/issue.js";
import { capSessionsStatement, SESSION_ID_SQL, startSession } from "./sessions/session-store.js";
import { ThrottledError, throttleKeys } from "./throttle.js";
import type { VerifiedAccount } from "./users-answers.js";
import type { CallContext } from "./users-client.js";

export interface LoginInput {
  username: string;
  password: string;
  userAgent: string | null;
  ipAddress: string;
}

/**
 * Login: throttle first (a blocked attempt never reaches a password check),
 * then the users service checks the password (a dummy hash for unknown names,
 * so both failures look and take alike), then a session starts.
 */
export async function login(
  deps: AuthDeps,
  input: LoginInput,
  call: CallContext,
): Promise<IssuedPair> {
  const { db, throttle, config } = deps;
  const keys = throttleKeys(input.username, input.ipAddress);
  const who = { username: input.username, ipAddress: input.ipAddress };
  try {
    await throttle.charge([
      { key: keys.account, limit: config.throttle.accountLimit },
      { key: keys.address, limit: config.throttle.addressLimit },
    ]);
  } catch (error) {
    if (error instanceof ThrottledError && error.firstInBlock) {
      await recordAudit(db, {
        kind: "login_throttled",
        ...who,
        details: { retryAfterSeconds: error.retryAfterSeconds },
      });
    }
    throw error;
  }

  let account: VerifiedAccount;
  try {
    account = await deps.users.verifyCredentials(
      { username: input.username, password: input.password },
      call,
    );
  } catch (error) {
    const code = error instanceof AppError ? error.code : undefined;
    if (code === "UNAUTHORIZED") {
      await recordAudit(db, {
        kind: "login_failed",
        ...who,
        details: { reason: "bad_credentials" },
      });
    } else {
      // Not a wrong password (disabled account, users service down): take the charge back.
      await throttle.refund(keys.account);
      await throttle.refund(keys.address);
      if (code === "FORBIDDEN") {
        await recordAudit(db, { kind: "login_failed", ...who, details: { reason: "disabled" } });
      }
    }
    throw error;
  }

  const now = deps.now();
  const jti = newAccessJti();
  // One transaction (one sync to disk): the throttle forgets the attempt, the
  // session starts, the audit records it, and sessions past the cap end, all
  // or nothing.
  const audited = auditInsert(
    {
      kind: "login_succeeded",
      userId: account.id,
      username: account.username,
      ipAddress: input.ipAddress,
      now,
    },
    `json_object('sessionId', ${SESSION_ID_SQL})`,
  );
  const session = await startSession(
    db,
    {
      userId: account.id,
      passwordStamp: account.passwordChangedAt,
      sessionStamp: account.sessionStamp,
      userAgent: input.userAgent?.slice(0, 256) ?? null,
      ipAddress: input.ipAddress,
      accessJti: jti,
      now,
      ttlMs: config.refreshTokenTtlS * 1000,
    },
    {
      before: throttle.successStatements(keys),
      // The cap first: the audit's insert changes what SESSION_ID_SQL reads.
      after: [capSessionsStatement(account.id, config.maxSessionsPerUser, now), audited],
    },
  );
  const user = {
    id: account.id,
    username: account.username,
    email: account.email,
    role: account.role,
    createdAt: account.createdAt,
  };
  const access = await signFor(deps, user, jti, now);
  return {
    access,
    refreshToken: session.token,
    refreshExpiresAt: session.expiresAt,
    sessionId: session.familyId,
    user,
  };
}
