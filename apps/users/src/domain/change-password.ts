import { AppError } from "@shop/kit";
import { and, eq } from "drizzle-orm";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import type { FailureLimiter } from "./failure-limiter.js";
import { assertPasswordPolicy, type PasswordHasher } from "./password.js";

/**
 * Changes the caller's own password after checking the current one, and stamps
 * passwordChangedAt: auth then refuses to refresh every session begun before
 * it. The write only lands if the hash is still the one checked, so two
 * concurrent changes cannot both pass with the same old password.
 */
export async function changePassword(
  db: UsersDb,
  passwords: PasswordHasher,
  limiter: FailureLimiter,
  userId: number,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const key = String(userId);
  limiter.attempt(key);
  const row = await db
    .select({ username: users.username, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  // FORBIDDEN, not UNAUTHORIZED: the token is fine, and a 401 would make a client refresh it.
  if (!(await passwords.verify(currentPassword, row.passwordHash))) {
    throw new AppError("FORBIDDEN", "Current password is incorrect");
  }
  limiter.succeed(key);
  assertPasswordPolicy(newPassword, row.username);
  const passwordHash = await passwords.hash(newPassword);
  const now = Date.now();
  const updated = await db
    .update(users)
    .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
    .where(and(eq(users.id, userId), eq(users.passwordHash, row.passwordHash)))
    .returning({ id: users.id });
  if (updated.length === 0) {
    throw new AppError("CONFLICT", "The password was changed meanwhile; try again");
  }
}
