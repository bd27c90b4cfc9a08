import { AppError } from "@shop/kit";
import { and, eq } from "drizzle-orm";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import { type Actor, keepsAnActiveAdmin, userExists } from "./users.js";

/**
 * Deletes an account (admins only, never their own). The last active admin
 * stays, checked in the DELETE's own WHERE so concurrent deletes cannot race past it.
 */
export async function deleteUser(db: UsersDb, actor: Actor, id: number): Promise<void> {
  if (actor.id === id) throw new AppError("BAD_REQUEST", "You cannot delete your own account");
  const deleted = await db
    .delete(users)
    .where(and(eq(users.id, id), keepsAnActiveAdmin()))
    .returning({ id: users.id });
  if (deleted.length > 0) return;
  if (!(await userExists(db, id))) throw new AppError("NOT_FOUND", "User not found");
  throw new AppError("CONFLICT", "The last administrator cannot be deleted");
}
