import { AppError } from "@shop/kit";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import { isUniqueViolation } from "./errors.js";
import { assertPasswordPolicy, type PasswordHasher } from "./password.js";
import { type Role, toUser, type User, userColumns, usernameIs } from "./users.js";

/** What an admin supplies for a new account. */
export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  role: Role;
}

const TAKEN = "Username already taken";

/**
 * Creates an account. The unique index on lower(username) is what guarantees
 * uniqueness; the look-up first only spares a bcrypt hash on the common case.
 */
export async function createUser(
  db: UsersDb,
  passwords: PasswordHasher,
  input: NewUser,
): Promise<User> {
  assertPasswordPolicy(input.password, input.username);
  const existing = await db.select({ id: users.id }).from(users).where(usernameIs(input.username));
  if (existing.length > 0) throw new AppError("CONFLICT", TAKEN);
  const passwordHash = await passwords.hash(input.password);
  const now = Date.now();
  try {
    const [row] = await db
      .insert(users)
      .values({
        username: input.username,
        email: input.email ?? null,
        role: input.role,
        passwordHash,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning(userColumns);
    return toUser(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", TAKEN, { cause: error });
    throw error;
  }
}
