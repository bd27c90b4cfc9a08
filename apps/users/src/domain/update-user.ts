import { AppError } from "@shop/kit";
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import { assertPasswordPolicy, type PasswordHasher } from "./password.js";
import {
  type Actor,
  keepsAnActiveAdmin,
  type Role,
  toUser,
  type User,
  userColumns,
  userExists,
} from "./users.js";

/** The fields an update may carry; absent means "leave as is", `email: null` clears it. */
export interface UserChanges {
  id: number;
  email?: string | null;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/**
 * Applies `changes` for `actor`. Users edit their own email; only an admin
 * changes a role, the disabled flag or another user's password (one's own
 * password goes through changePassword, which asks for the current one). The
 * last active admin cannot be demoted or disabled: that guard sits in the
 * UPDATE's own WHERE, so it also holds when two admins demote each other at once.
 */
export async function updateUser(
  db: UsersDb,
  passwords: PasswordHasher,
  actor: Actor,
  changes: UserChanges,
): Promise<User> {
  const isAdmin = actor.role === "admin";
  const isSelf = actor.id === changes.id;
  // Before any look-up: a non-admin learns nothing about whether another id exists.
  if (!isAdmin && !isSelf) throw new AppError("FORBIDDEN", "You may only change your own account");

  const current = await db
    .select({ username: users.username, role: users.role, disabled: users.disabled })
    .from(users)
    .where(eq(users.id, changes.id))
    .get();
  if (!current) throw new AppError("NOT_FOUND", "User not found");
  if (!isAdmin) {
    if (changes.role !== undefined && changes.role !== current.role) {
      throw new AppError("FORBIDDEN", "Only an administrator changes roles");
    }
    if (changes.disabled !== undefined && changes.disabled !== current.disabled) {
      throw new AppError("FORBIDDEN", "Only an administrator disables accounts");
    }
  }

  const now = Date.now();
  const set: SQLiteUpdateSetSource<typeof users> = { updatedAt: now };
  if (changes.email !== undefined) set.email = changes.email;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.disabled !== undefined) set.disabled = changes.disabled;
  // Every session begun before a disable stays dead, even once re-enabled.
  if (changes.disabled === true) set.sessionStamp = sql`${users.sessionStamp} + 1`;
  if (changes.password !== undefined) {
    if (isSelf) {
      throw new AppError("FORBIDDEN", "Change your own password with changePassword");
    }
    assertPasswordPolicy(changes.password, current.username);
    set.passwordHash = await passwords.hash(changes.password);
    set.passwordChangedAt = now;
  }

  const removesAdmin = changes.role === "user" || changes.disabled === true;
  const where = removesAdmin
    ? and(eq(users.id, changes.id), keepsAnActiveAdmin())
    : eq(users.id, changes.id);
  const [row] = await db.update(users).set(set).where(where).returning(userColumns);
  if (row) return toUser(row);
  if (!(await userExists(db, changes.id))) throw new AppError("NOT_FOUND", "User not found");
  throw new AppError("CONFLICT", "The last administrator cannot be demoted or disabled");
}
