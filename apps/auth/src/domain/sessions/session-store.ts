import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { AuthDb } from "../../db/index.js";
import { refreshFamilies, refreshTokens } from "../../db/schema.js";
import { hashRefreshToken, newRefreshToken, sealSuccessor } from "./refresh-token.js";

export type RevokeReason = NonNullable<(typeof refreshFamilies.$inferSelect)["revokeReason"]>;

/** A refresh token just issued; the raw value leaves the process only once, to its holder. */
export interface IssuedRefreshToken {
  familyId: number;
  tokenId: number;
  token: string;
  expiresAt: number;
}

/** Starts a session (family) with its first refresh token. */
export async function startSession(
  db: AuthDb,
  input: {
    userId: number;
    userAgent: string | null;
    ipAddress: string;
    accessJti: string;
    now: number;
    ttlMs: number;
  },
): Promise<IssuedRefreshToken> {
  const token = newRefreshToken();
  const expiresAt = input.now + input.ttlMs;
  return db.transaction(async (tx) => {
    const [family] = await tx
      .insert(refreshFamilies)
      .values({
        userId: input.userId,
        createdAt: input.now,
        expiresAt,
        lastUsedAt: input.now,
        userAgent: input.userAgent,
        ipAddress: input.ipAddress,
      })
      .returning({ id: refreshFamilies.id });
    const [row] = await tx
      .insert(refreshTokens)
      .values({
        familyId: family!.id,
        tokenHash: hashRefreshToken(token),
        createdAt: input.now,
        accessJti: input.accessJti,
      })
      .returning({ id: refreshTokens.id });
    return { familyId: family!.id, tokenId: row!.id, token, expiresAt };
  });
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

/**
 * Redeems `parent` for a successor, atomically: only the redemption whose
 * conditional UPDATE (`used_at IS NULL`) wins issues one. Returns null when a
 * concurrent redemption won; the caller then reads the winner's sealed successor.
 */
export async function rotateRefreshToken(
  db: AuthDb,
  parent: FoundRefreshToken,
  parentToken: string,
  input: { accessJti: string; now: number },
): Promise<IssuedRefreshToken | null> {
  const token = newRefreshToken();
  return db.transaction(async (tx) => {
    const claimed = await tx
      .update(refreshTokens)
      .set({ usedAt: input.now })
      .where(and(eq(refreshTokens.id, parent.id), isNull(refreshTokens.usedAt)))
      .returning({ id: refreshTokens.id });
    if (claimed.length === 0) return null;
    const [row] = await tx
      .insert(refreshTokens)
      .values({
        familyId: parent.family.id,
        tokenHash: hashRefreshToken(token),
        parentId: parent.id,
        createdAt: input.now,
        accessJti: input.accessJti,
      })
      .returning({ id: refreshTokens.id });
    await tx
      .update(refreshTokens)
      .set({ successorId: row!.id, successorSealed: sealSuccessor(parentToken, token) })
      .where(eq(refreshTokens.id, parent.id));
    await tx
      .update(refreshFamilies)
      .set({ lastUsedAt: input.now })
      .where(eq(refreshFamilies.id, parent.family.id));
    return {
      familyId: parent.family.id,
      tokenId: row!.id,
      token,
      expiresAt: parent.family.expiresAt,
    };
  });
}

/** Revokes one session; true when it was still live. */
export async function revokeFamily(
  db: AuthDb,
  familyId: number,
  reason: RevokeReason,
  now: number,
  userId?: number,
): Promise<boolean> {
  const conditions = [eq(refreshFamilies.id, familyId), isNull(refreshFamilies.revokedAt)];
  if (userId !== undefined) conditions.push(eq(refreshFamilies.userId, userId));
  const rows = await db
    .update(refreshFamilies)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(...conditions))
    .returning({ id: refreshFamilies.id });
  return rows.length > 0;
}

/** Revokes every live session of a user; returns how many. */
export async function revokeUserFamilies(
  db: AuthDb,
  userId: number,
  reason: RevokeReason,
  now: number,
): Promise<number> {
  const rows = await db
    .update(refreshFamilies)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(refreshFamilies.userId, userId), isNull(refreshFamilies.revokedAt)))
    .returning({ id: refreshFamilies.id });
  return rows.length;
}

/** A user's live sessions, most recently used first. */
export async function listLiveSessions(db: AuthDb, userId: number, now: number) {
  return db
    .select({
      id: refreshFamilies.id,
      createdAt: refreshFamilies.createdAt,
      lastUsedAt: refreshFamilies.lastUsedAt,
      expiresAt: refreshFamilies.expiresAt,
      userAgent: refreshFamilies.userAgent,
      ipAddress: refreshFamilies.ipAddress,
    })
    .from(refreshFamilies)
    .where(
      and(
        eq(refreshFamilies.userId, userId),
        isNull(refreshFamilies.revokedAt),
        gt(refreshFamilies.expiresAt, now),
      ),
    )
    .orderBy(desc(refreshFamilies.lastUsedAt))
    .limit(100);
}

/** The session an access token was issued for, by its jti. */
export async function familyOfAccessToken(db: AuthDb, jti: string): Promise<number | null> {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.accessJti, jti))
    .limit(1);
  return row?.familyId ?? null;
}

/** Deletes sessions that ended (expired or revoked) before `before`, with their tokens. */
export async function deleteEndedFamilies(db: AuthDb, before: number): Promise<number> {
  const rows = await db
    .delete(refreshFamilies)
    .where(or(lt(refreshFamilies.expiresAt, before), lt(refreshFamilies.revokedAt, before)))
    .returning({ id: refreshFamilies.id });
  return rows.length;
}
