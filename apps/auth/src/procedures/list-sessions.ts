import { familyOfAccessToken, listLiveSessions } from "../domain/sessions/session-lifecycle.js";
import { protectedProcedure } from "../trpc.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** The caller's live sessions; `current` marks the one this access token came from. */
export const sessionsProcedure = protectedProcedure.query(async ({ ctx }) => {
  const { db, now } = ctx.deps;
  const [rows, currentId] = await Promise.all([
    listLiveSessions(db, ctx.caller.id, now()),
    familyOfAccessToken(db, ctx.caller.tokenId),
  ]);
  return {
    sessions: rows.map((row) => ({
      id: row.id,
      createdAt: iso(row.createdAt),
      lastUsedAt: iso(row.lastUsedAt),
      expiresAt: iso(row.expiresAt),
      userAgent: row.userAgent,
      ipAddress: row.ipAddress,
      current: row.id === currentId,
    })),
  };
});
