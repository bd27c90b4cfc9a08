import { and, count, desc, eq, lt } from "drizzle-orm";
import { type HistoryAction, history, type OrdersDb } from "../db/index.js";
import { decodeCursor, nextCursorOf } from "./cursor.js";

/** Who did something: the caller, as the token names them. */
export interface Actor {
  id: number;
  username: string;
}

/** A history row to append; `db` may be a transaction. */
export interface HistoryEntry {
  actor: Actor;
  action: HistoryAction;
  orderId?: number;
  details?: Record<string, unknown>;
}

type Writer = Pick<OrdersDb, "insert">;

/** Appends entries to the action history (never updated or deleted). */
export async function recordHistory(db: Writer, ...entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = Date.now();
  await db.insert(history).values(
    entries.map((e) => ({
      userId: e.actor.id,
      username: e.actor.username,
      action: e.action,
      orderId: e.orderId ?? null,
      details: JSON.stringify({ ...(e.orderId ? { orderId: e.orderId } : {}), ...e.details }),
      createdAt: now,
    })),
  );
}

/**
 * The owner of an order as the actor of what the service does on their
 * behalf (a refund, a payment settled after a crash), under the name their
 * own entries carry.
 */
export async function ownerActor(db: Pick<OrdersDb, "select">, userId: number): Promise<Actor> {
  const [named] = await db
    .select({ username: history.username })
    .from(history)
    .where(eq(history.userId, userId))
    .orderBy(desc(history.id))
    .limit(1);
  return { id: userId, username: named?.username ?? `user ${userId}` };
}

/** A user's history, newest first, a page at a time. */
export async function listHistory(
  db: OrdersDb,
  userId: number,
  options: { limit: number; cursor?: string },
) {
  const before = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await db
    .select({
      id: history.id,
      userId: history.userId,
      username: history.username,
      action: history.action,
      details: history.details,
      createdAt: history.createdAt,
    })
    .from(history)
    .where(and(eq(history.userId, userId), before ? lt(history.id, before) : undefined))
    .orderBy(desc(history.id))
    .limit(options.limit + 1);
  const [totals] = await db
    .select({ total: count() })
    .from(history)
    .where(eq(history.userId, userId));
  const { page, nextCursor } = nextCursorOf(rows, options.limit);
  return {
    history: page.map((row) => ({
      ...row,
      details: JSON.parse(row.details) as Record<string, unknown>,
      createdAt: new Date(row.createdAt).toISOString(),
    })),
    nextCursor,
    total: totals?.total ?? 0,
  };
}
