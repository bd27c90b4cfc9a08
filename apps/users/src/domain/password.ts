import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@shop/kit";
import bcrypt from "bcryptjs";
import { Piscina } from "piscina";
import { z } from "zod";
import { BCRYPT_WORKER } from "../paths.js";

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
  /** Stops the worker threads, if any. */
  close(): Promise<void>;
}

/** Where bcrypt runs: `threads` > 0 puts it on that many worker threads. */
export interface HasherOptions {
  threads?: number;
}

interface BcryptBackend {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

// On the event loop: bcryptjs's async API yields between rounds, but a login
// can then use only the one core the event loop runs on.
const eventLoopBackend: BcryptBackend = {
  hash: (password, cost) => bcrypt.hash(password, cost),
  compare: (password, hash) => bcrypt.compare(password, hash),
  close: async () => {},
};

// On worker threads (one per core by default): logins use every core, and the
// event loop stays free for requests.
function workerBackend(threads: number): BcryptBackend {
  const pool = new Piscina({ filename: BCRYPT_WORKER, minThreads: threads, maxThreads: threads });
  return {
    hash: (password, cost) => pool.run({ password, cost }, { name: "hash" }),
    compare: (password, hash) => pool.run({ password, hash }, { name: "compare" }),
    close: () => pool.destroy(),
  };
}

/** A hasher at `cost`; builds its dummy hash once, up front. */
export async function createPasswordHasher(
  cost: number,
  options: HasherOptions = {},
): Promise<PasswordHasher> {
  const backend = options.threads ? workerBackend(options.threads) : eventLoopBackend;
  const dummyHash = await backend.hash(randomBytes(32).toString("base64"), cost);
  return {
    hash: (password) => backend.hash(prehash(password), cost),
    verify: (password, hash) => backend.compare(prehash(password), hash),
    burn: async (password) => {
      await backend.compare(prehash(password), dummyHash);
    },
    needsRehash: (hash) => bcrypt.getRounds(hash) < cost,
    close: () => backend.close(),
  };
}
