import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@shop/kit";
import bcrypt from "bcryptjs";
import { z } from "zod";

/** Bounds of a new password (the seeded demo passwords predate them). */
export const NEW_PASSWORD_MIN = 8;
export const NEW_PASSWORD_MAX = 128;

/** A new password as inputs accept it; the username rule is checked by {@link assertPasswordPolicy}. */
export const newPasswordSchema = z.string().min(NEW_PASSWORD_MIN).max(NEW_PASSWORD_MAX);

/** A password presented for checking: bounded, but no policy (old passwords stay valid). */
export const presentedPasswordSchema = z.string().min(1).max(1024);

/** Refuses a new password equal to the username, case-insensitively. */
export function assertPasswordPolicy(password: string, username: string): void {
  if (password.toLowerCase() === username.toLowerCase()) {
    throw new AppError("BAD_REQUEST", "Password must not be the username");
  }
}

// bcrypt reads at most 72 bytes, so two 100-character passwords sharing their
// first 72 bytes would match each other. Hashing first (SHA-256, base64: 44
// ASCII bytes, no NUL) makes every character count.
function prehash(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("base64");
}

/** Hashes and checks passwords with bcryptjs's async API (it yields, so requests keep flowing). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Runs one compare against a hash of the same cost that matches nothing, so a
   * login for an unknown user costs what a login with a wrong password does.
   */
  burn(password: string): Promise<void>;
  /** True when `hash` was made at a lower cost than the configured one. */
  needsRehash(hash: string): boolean;
}

/** A hasher at `cost`; builds its dummy hash once, up front. */
export async function createPasswordHasher(cost: number): Promise<PasswordHasher> {
  const dummyHash = await bcrypt.hash(randomBytes(32).toString("base64"), cost);
  return {
    hash: (password) => bcrypt.hash(prehash(password), cost),
    verify: (password, hash) => bcrypt.compare(prehash(password), hash),
    burn: async (password) => {
      await bcrypt.compare(prehash(password), dummyHash);
    },
    needsRehash: (hash) => bcrypt.getRounds(hash) < cost,
  };
}
