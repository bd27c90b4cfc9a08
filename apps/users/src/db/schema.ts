import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Roles a user can hold; the CHECK constraint below keeps the column to these. */
export const ROLES = ["admin", "user"] as const;

/**
 * Accounts: the system of record. Times are epoch milliseconds (integers sort
 * and compare exactly; the API turns them into ISO strings).
 */
export const users = sqliteTable(
  "users",
  {
    // AUTOINCREMENT: a deleted user's id is never handed to a new account, since
    // auth's sessions and audit events keep referring to it.
    id: integer().primaryKey({ autoIncrement: true }),
    // Stored as typed; uniqueness and lookups are case-insensitive (index below).
    username: text().notNull(),
    email: text(),
    role: text({ enum: ROLES }).notNull().default("user"),
    // bcrypt over a SHA-256 pre-hash (see domain/password.ts), never the password.
    passwordHash: text().notNull(),
    // Auth refuses to refresh sessions that began before the last password change.
    passwordChangedAt: integer().notNull(),
    // Bumped on every disable: auth refuses to refresh a session begun under an
    // older stamp, so re-enabling an account never revives the sessions it had.
    sessionStamp: integer().notNull().default(0),
    disabled: integer({ mode: "boolean" }).notNull().default(false),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    // The database, not a pre-check, enforces case-insensitive uniqueness, so two
    // concurrent creates of "Bob" and "bob" cannot both succeed. Usernames are
    // ASCII by validation, which lower() folds exactly.
    uniqueIndex("users_username_lower_unique").on(sql`lower(${t.username})`),
    // The last-admin rule counts active admins on every demote, disable and delete.
    index("users_role_disabled_idx").on(t.role, t.disabled),
    check("users_role_check", sql`${t.role} in ('admin', 'user')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
