import type { SqlStatement } from "@shop/kit";
import { eq } from "drizzle-orm";
import type { AuthDb } from "../../db/index.js";
import { refreshFamilies, refreshTokens } from "../../db/schema.js";
import { hashRefreshToken, newRefreshToken, sealSuccessor } from "./refresh-token.js";

/** A refresh token just issued; the raw value leaves the process only once, to its holder. */
export interface IssuedRefreshToken {
  familyId: number;
  tokenId: number;
  token: string;
  expiresAt: number;
}

// Why batches and not db.transaction(): an embedded libSQL client waits for a
// write lock synchronously, on the event loop. An interactive transaction that
// awaits between statements while another request's write waits for its lock
// stalls the whole process until the busy timeout. A batch runs BEGIN..COMMIT
// in one synchronous call, so in-process writers never interleave, and it is
// still one atomic transaction (also on a libSQL server).

/**
 * Writes to commit with a new session, in its transaction: `before` runs
 * first; `after` runs last, where `SESSION_ID_SQL` names the new session.
 */
export interface AlongsideSession {
  before?: SqlStatement[];
  after?: SqlStatement[];
}

/** In an `after` statement of {@link startSession}: the id of the session just started. */
export const SESSION_ID_SQL = `(SELECT "family_id" FROM "refresh_tokens" WHERE "id" = last_insert_rowid())`;

/** Starts a session (family) with its first refresh token, in one transaction. */
export async function startSession(
  db: AuthDb,
  input: {
    userId: number;
    /** The account's passwordChangedAt as the users service reported it at login. */
    passwordStamp: number;
    /** The account's sessionStamp as the users service reported it at login. */
    sessionStamp: number;
    userAgent: string | null;
    ipAddress: string;
    accessJti: string;
    now: number;
    ttlMs: number;
  },
  alongside: AlongsideSession = {},
): Promise<IssuedRefreshToken> {
  const token = newRefreshToken();
  const expiresAt = input.now + input.ttlMs;
  const before = alongside.before ?? [];
  const results = await db.$prepared.batch([
    ...before,
    {
      sql: `INSERT INTO refresh_families
                (user_id, created_at, expires_at, last_used_at, password_stamp, session_stamp,
                 user_agent, ip_address)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        input.userId,
        input.now,
        expiresAt,
        input.now,
        input.passwordStamp,
        input.sessionStamp,
        input.userAgent,
        input.ipAddress,
      ],
    },
    {
      sql: `INSERT INTO refresh_tokens (family_id, token_hash, created_at, access_jti)
              VALUES (last_insert_rowid(), ?, ?, ?)`,
      args: [hashRefreshToken(token), input.now, input.accessJti],
    },
    ...(alongside.after ?? []),
  ]);
  const [family, row] = results.slice(before.length);
  return {
    familyId: Number(family!.lastInsertRowid),
    tokenId: Number(row!.lastInsertRowid),
    token,
    expiresAt,
  };
}

/**
 * In a login's transaction, after its session started and before any other
 * insert (it names the new session by {@link SESSION_ID_SQL}): revokes the
 * user's live sessions beyond the new one and the `max` - 1 most recently used
 * others, so a user (or a stolen password replayed in a loop) cannot pile up
 * sessions without bound. The new session is never among them, even when the
 * others were last used "after" now (a clock stepped back, another instance's
 * clock ahead): the login must not answer with a revoked refresh token.
 */
export function capSessionsStatement(userId: number, max: number, now: number): SqlStatement {
  const others = `user_id = ? AND revoked_at IS NULL AND expires_at > ? AND id <> ${SESSION_ID_SQL}`;
  return {
    sql: `UPDATE refresh_families SET revoked_at = ?, revoke_reason = 'session_limit'
            WHERE ${others}
              AND id NOT IN (SELECT id FROM refresh_families WHERE ${others}
                ORDER BY last_used_at DESC, id DESC LIMIT ?)`,
    args: [now, userId, now, userId, now, max - 1],
  };
}

/** A presented refresh token and its family, found by hash. */
export async function findRefreshToken(db: AuthDb, token: string) {
  const [found] = await db
    .select({
      id: refreshTokens.id,
      usedAt: refreshTokens.usedAt,
      successorId: refreshTokens.successorId,
      successorSealed: refreshTokens.successorSealed,
      family: {
        id: refreshFamilies.id,
        userId: refreshFamilies.userId,
        createdAt: refreshFamilies.createdAt,
        expiresAt: refreshFamilies.expiresAt,
        passwordStamp: refreshFamilies.passwordStamp,
        sessionStamp: refreshFamilies.sessionStamp,
        revokedAt: refreshFamilies.revokedAt,
      },
    })
    .from(refreshTokens)
    .innerJoin(refreshFamilies, eq(refreshFamilies.id, refreshTokens.familyId))
    .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)))
    .limit(1);
  return found ?? null;
}
export type FoundRefreshToken = NonNullable<Awaited<ReturnType<typeof findRefreshToken>>>;

// In a claim's WHERE: the token's session is neither revoked nor past its
// absolute expiry at the moment of the write. A logout (or any revocation)
// commits either before the claim, which then fails, or after it.
const FAMILY_LIVE_SQL = `EXISTS (SELECT 1 FROM refresh_families f
    WHERE f.id = refresh_tokens.family_id AND f.revoked_at IS NULL AND f.expires_at > ?)`;

/**
 * Redeems `parent` for a successor, atomically: only the redemption whose
 * conditional UPDATE (`used_at IS NULL`, session live) wins issues one; the
 * later statements of the batch do nothing unless it did. Returns null when a
 * concurrent redemption won or the session was revoked or expired meanwhile;
 * the caller then reads the token again to tell which.
 */
export async function rotateRefreshToken(
  db: AuthDb,
  parent: FoundRefreshToken,
  parentToken: string,
  input: { accessJti: string; now: number },
): Promise<IssuedRefreshToken | null> {
  const token = newRefreshToken();
  const [claimed, inserted] = await db.$prepared.batch([
    {
      sql: `UPDATE refresh_tokens SET used_at = ?, successor_sealed = ?
              WHERE id = ? AND used_at IS NULL AND ${FAMILY_LIVE_SQL}`,
      args: [input.now, sealSuccessor(parentToken, token), parent.id, input.now],
    },
    {
      sql: `INSERT INTO refresh_tokens (family_id, token_hash, parent_id, created_at, access_jti)
              SELECT ?, ?, ?, ?, ? WHERE changes() = 1`,
      args: [parent.family.id, hashRefreshToken(token), parent.id, input.now, input.accessJti],
    },
    {
      sql: "UPDATE refresh_tokens SET successor_id = last_insert_rowid() WHERE id = ? AND changes() = 1",
      args: [parent.id],
    },
    {
      sql: "UPDATE refresh_families SET last_used_at = ? WHERE id = ?",
      args: [input.now, parent.family.id],
    },
  ]);
  if (claimed!.rowsAffected !== 1 || inserted!.rowsAffected !== 1) return null;
  return {
    familyId: parent.family.id,
    tokenId: Number(inserted!.lastInsertRowid),
    token,
    expiresAt: parent.family.expiresAt,
  };
}

/**
 * For a redemption that hands out an earlier successor (grace window): marks
 * the session used if, at this write, it is neither revoked nor expired. False
 * when it no longer is: nothing may be issued then.
 */
export async function touchLiveFamily(db: AuthDb, familyId: number, now: number) {
  const touched = await db.$prepared.execute({
    sql: `UPDATE refresh_families SET last_used_at = ?
            WHERE id = ? AND revoked_at IS NULL AND expires_at > ?`,
    args: [now, familyId, now],
  });
  return touched.rowsAffected === 1;
}
