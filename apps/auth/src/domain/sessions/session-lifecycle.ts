import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { AuthDb } from "../../db/index.js";
import { refreshFamilies, refreshTokens } from "../../db/schema.js";

export type RevokeReason = NonNullable<(typeof refreshFamilies.$inferSelect)["revokeReason"]>;

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
