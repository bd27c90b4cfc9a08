import { AppError } from "@shop/kit";
import { and, eq } from "drizzle-orm";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import { findAccountRow, findCredentialRow } from "./account-reads.js";
import type { Deadline, PasswordHasher } from "./password.js";
import type { Role } from "./users.js";

/** Who logged in, as auth needs it to mint tokens and to date the session. */
export interface VerifiedAccount {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  /** Epoch ms of the last password change. */
  passwordChangedAt: number;
  /** Bumped on each disable; a session begun under another stamp is dead. */
  sessionStamp: number;
  /** When the account was made, ISO-8601 UTC (the user object of the REST surface shows it). */
  createdAt: string;
}

const INVALID = "Invalid username or password";

/**
 * Checks a username and password. Exactly one bcrypt compare runs whether or
 * not the user exists (against a dummy hash when it does not), so neither the
 * answer nor its timing tells an unknown user from a wrong password. A disabled
 * account is only revealed to someone who knows its password. A compare that
 * cannot finish by `deadline` is dropped the same way for both (see
 * {@link PasswordHasher.verify}).
 */
export async function verifyCredentials(
  db: UsersDb,
  passwords: PasswordHasher,
  username: string,
  password: string,
  deadline?: Deadline,
): Promise<VerifiedAccount> {
  const row = await findCredentialRow(db, username);
  if (!row) {
    await passwords.burn(password, deadline);
    throw new AppError("UNAUTHORIZED", INVALID);
  }
  if (!(await passwords.verify(password, row.passwordHash, deadline))) {
    throw new AppError("UNAUTHORIZED", INVALID);
  }
  if (row.disabled) throw new AppError("FORBIDDEN", "Account disabled");
  if (passwords.needsRehash(row.passwordHash)) {
    // A raised BCRYPT_COST reaches old hashes at their next login. Not a password
    // change, so passwordChangedAt stays; a concurrent change wins (hash compared).
    const upgraded = await passwords.hash(password);
    await db
      .update(users)
      .set({ passwordHash: upgraded })
      .where(and(eq(users.id, row.id), eq(users.passwordHash, row.passwordHash)));
  }
  const { id, email, role, passwordChangedAt, sessionStamp, createdAt } = row;
  return {
    id,
    username: row.username,
    email,
    role,
    passwordChangedAt,
    sessionStamp,
    createdAt: new Date(createdAt).toISOString(),
  };
}

/** What auth checks before every refresh. */
export interface AccountStatus {
  id: number;
  username: string;
  /** So a refresh can return the current SessionUser. */
  email: string | null;
  role: Role;
  disabled: boolean;
  passwordChangedAt: number;
  sessionStamp: number;
  /** ISO-8601 UTC, as in {@link VerifiedAccount}. */
  createdAt: string;
}

/** The current status of an account, or NOT_FOUND once it is deleted. */
export async function accountStatus(db: UsersDb, userId: number): Promise<AccountStatus> {
  const row = await findAccountRow(db, userId);
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  const { id, username, email, role, disabled, passwordChangedAt, sessionStamp, createdAt } = row;
  return {
    id,
    username,
    email,
    role,
    disabled,
    passwordChangedAt,
    sessionStamp,
    createdAt: new Date(createdAt).toISOString(),
  };
}
