import type { SqlStatement } from "@shop/kit";
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

// The insert is SQL text, not a drizzle builder: it runs on every login, and
// building it with drizzle cost more CPU than SQLite took to run it.
const AUDIT_COLUMNS = `INSERT INTO "audit_events"
  ("kind", "user_id", "username", "ip_address", "details", "created_at")`;
const AUDIT_INSERT = `${AUDIT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)`;

/** Appends one security event. */
export async function recordAudit(db: AuthDb, event: AuditEventInput): Promise<void> {
  await db.$prepared.execute(auditInsert(event));
}

/**
 * The insert of one event, to run alone or in a batch with other writes.
 * `detailsSql`, when given, is an SQL expression (JSON text) computed inside
 * that batch, in place of `event.details`.
 */
export function auditInsert(event: AuditEventInput, detailsSql?: string): SqlStatement {
  const who = [
    event.kind,
    event.userId ?? null,
    event.username?.slice(0, 64) ?? null,
    event.ipAddress ?? null,
  ];
  const createdAt = event.now ?? Date.now();
  if (detailsSql !== undefined) {
    return {
      sql: `${AUDIT_COLUMNS} VALUES (?, ?, ?, ?, ${detailsSql}, ?)`,
      args: [...who, createdAt],
    };
  }
  const details = event.details === undefined ? null : JSON.stringify(event.details);
  return { sql: AUDIT_INSERT, args: [...who, details, createdAt] };
}

const PRUNE_BATCH = 1_000;

/**
 * Deletes the events recorded before `before` (epoch ms), oldest first, a
 * thousand per statement: ids grow with time, so each statement reads the
 * first thousand ids and deletes those that are old, and the loop ends at the
 * first statement that finds fewer. No statement holds the write lock (and,
 * embedded, the event loop) for long, however large the backlog.
 */
export async function deleteAuditEventsBefore(db: AuthDb, before: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.$prepared.execute({
      sql: `DELETE FROM "audit_events" WHERE "id" IN
              (SELECT "id" FROM "audit_events" ORDER BY "id" LIMIT ?) AND "created_at" < ?`,
      args: [PRUNE_BATCH, before],
    });
    deleted += result.rowsAffected;
    if (result.rowsAffected < PRUNE_BATCH) return deleted;
    // Let requests in between statements.
    await new Promise((resolve) => setImmediate(resolve));
  }
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
