import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { AuthDb } from "../db/index.js";
import { type AuditKind, auditEvents } from "../db/schema.js";

export interface AuditEventInput {
  kind: AuditKind;
  userId?: number | null;
  username?: string | null;
  ipAddress?: string | null;
  details?: Record<string, unknown>;
  now?: number;
}

/** Appends one security event. */
export async function recordAudit(db: AuthDb, event: AuditEventInput): Promise<void> {
  await auditInsert(db, event);
}

/** The insert of one event, to await or to run in a batch with other writes (`.toSQL()`). */
export function auditInsert(db: AuthDb, event: AuditEventInput, details?: SQL) {
  return db.insert(auditEvents).values({
    kind: event.kind,
    userId: event.userId ?? null,
    username: event.username?.slice(0, 64) ?? null,
    ipAddress: event.ipAddress ?? null,
    details: details ?? event.details ?? null,
    createdAt: event.now ?? Date.now(),
  });
}

export interface AuditFilter {
  userId?: number;
  kind?: AuditKind;
  limit: number;
  /** Return events older than this id (the previous page's nextCursor). */
  cursor?: number;
}

/** Events newest first, by id, paged with a keyset cursor. */
export async function listAudit(db: AuthDb, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.userId !== undefined) conditions.push(eq(auditEvents.userId, filter.userId));
  if (filter.kind !== undefined) conditions.push(eq(auditEvents.kind, filter.kind));
  if (filter.cursor !== undefined) conditions.push(lt(auditEvents.id, filter.cursor));
  const rows = await db
    .select({
      id: auditEvents.id,
      kind: auditEvents.kind,
      userId: auditEvents.userId,
      username: auditEvents.username,
      ipAddress: auditEvents.ipAddress,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const nextCursor = rows.length > filter.limit ? page[page.length - 1]!.id : null;
  return {
    events: page.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() })),
    nextCursor,
  };
}
