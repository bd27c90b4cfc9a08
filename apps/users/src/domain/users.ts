import { AppError } from "@shop/kit";
import { count, eq, ne, or, type SQL, sql } from "drizzle-orm";
import type { UsersDb } from "../db/index.js";
import { type ROLES, users } from "../db/schema.js";
import { findAccountRow } from "./account-reads.js";

export type Role = (typeof ROLES)[number];

/** A user as every procedure returns it: never the hash, times as ISO-8601 UTC. */
export interface User {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The columns a {@link User} is built from, selected explicitly so nothing else leaks. */
export const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

/** A row selected with {@link userColumns}. */
export type UserColumnsRow = {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
};

/** Maps a selected row to the wire shape, field by field: nothing else in the row leaks. */
export function toUser(row: UserColumnsRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    disabled: row.disabled,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Matches a username case-insensitively, through the lower(username) unique index. */
export function usernameIs(username: string): SQL {
  return sql`lower(${users.username}) = lower(${username})`;
}

/**
 * True for rows whose removal (demote, disable, delete) still leaves an active
 * admin. Evaluated inside the writing statement itself, so two admins demoting
 * each other at once cannot both succeed: SQLite runs one write at a time and
 * the second sees the first's result.
 */
export function keepsAnActiveAdmin(): SQL {
  return or(
    ne(users.role, "admin"),
    eq(users.disabled, true),
    sql`(select count(*) from ${users} where ${users.role} = 'admin' and ${users.disabled} = 0) > 1`,
  )!;
}

/** The user with this id, or NOT_FOUND. */
export async function getUserById(db: UsersDb, id: number): Promise<User> {
  const row = await db.select(userColumns).from(users).where(eq(users.id, id)).get();
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  return toUser(row);
}

/** The user with this username (any case), or NOT_FOUND. */
export async function getUserByUsername(db: UsersDb, username: string): Promise<User> {
  const row = await db.select(userColumns).from(users).where(usernameIs(username)).get();
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  return toUser(row);
}

/**
 * What a signed-in caller's account currently is: the role in the database
 * beats the token's. All of the user's columns, so `me` needs no second query.
 */
export type Account = UserColumnsRow;

/** Who performs a change: all the permission rules need. */
export type Actor = Pick<Account, "id" | "role">;

/** The account behind a caller id, or null when it was deleted. */
export async function findAccount(db: UsersDb, id: number): Promise<Account | null> {
  const row = await findAccountRow(db, id);
  if (!row) return null;
  const { passwordChangedAt: _, sessionStamp: __, ...account } = row;
  return account;
}

/** Options of {@link listUsers}. */
export interface ListUsersOptions {
  search?: string;
  limit: number;
  offset: number;
}

// LIKE treats % and _ as wildcards; a search for "a_b" means the literal text.
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of users by id, optionally those whose username or email contains `search`. */
export async function listUsers(
  db: UsersDb,
  options: ListUsersOptions,
): Promise<{ users: User[]; total: number }> {
  const search = options.search?.trim();
  const where = search
    ? or(
        sql`lower(${users.username}) like ${likePattern(search)} escape '\\'`,
        sql`lower(${users.email}) like ${likePattern(search)} escape '\\'`,
      )
    : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select(userColumns)
      .from(users)
      .where(where)
      .orderBy(users.id)
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { users: rows.map(toUser), total: totals[0]?.total ?? 0 };
}

/** True when a user with this id exists (to tell NOT_FOUND from a refused write). */
export async function userExists(db: UsersDb, id: number): Promise<boolean> {
  const row = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).get();
  return row !== undefined;
}
