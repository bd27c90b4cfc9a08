import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@shop/kit";
import bcrypt from "bcryptjs";
import { z } from "zod";
import { type BcryptBackend, eventLoopBackend, workerBackend } from "./bcrypt-backends.js";

/** Bounds of a new password (the seeded demo passwords predate them). */
export const NEW_PASSWORD_MIN = 8;
export const NEW_PASSWORD_MAX = 128;

/** What a password with a lone UTF-16 surrogate is told. */
export const ILL_FORMED_PASSWORD = "Password is not valid Unicode (it has a lone surrogate)";

// A lone surrogate (half of a UTF-16 pair) becomes U+FFFD when the password is
// encoded for hashing, so any two such passwords differing only there would be
// one and the same. \p{Cs} with the u flag matches only unpaired halves.
const wellFormed = (password: string) => !/\p{Cs}/u.test(password);

/** A new password as inputs accept it; the username rule is checked by {@link assertPasswordPolicy}. */
export const newPasswordSchema = z
  .string()
  .min(NEW_PASSWORD_MIN)
  .max(NEW_PASSWORD_MAX)
  .refine(wellFormed, ILL_FORMED_PASSWORD);

/** A password presented for checking: bounded, but no policy (old passwords stay valid). */
export const presentedPasswordSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(wellFormed, ILL_FORMED_PASSWORD);

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

/**
 * Epoch ms (Date.now()'s clock, shared by every thread) by which a caller
 * needs its answer.
 */
export type Deadline = number;

/** Hashes and checks passwords with bcryptjs, on worker threads or the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `hash`. With a `deadline`, a compare that
   * could not finish by then is dropped unstarted and SERVICE_UNAVAILABLE
   * (with Retry-After) is thrown instead: nobody would read its answer.
   */
  verify(password: string, hash: string, deadline?: Deadline): Promise<boolean>;
  /**
   * Runs one compare against a hash of the same cost that matches nothing, so a
   * login for an unknown user costs what a login with a wrong password does.
   * Dropped for its `deadline` exactly as {@link verify} is (no timing oracle).
   */
  burn(password: string, deadline?: Deadline): Promise<void>;
  /** True when `hash` was made at a lower cost than the configured one. */
  needsRehash(hash: string): boolean;
  /** Stops the worker threads, if any. */
  close(): Promise<void>;
}

/** Where bcrypt runs: `threads` > 0 puts it on that many worker threads. */
export interface HasherOptions {
  threads?: number;
}

/** What a compare dropped for its deadline answers. */
export const TOO_LATE_TO_CHECK = "Too busy to check the password in time";

// How long one bcrypt task takes under the current load. Each sample moves the
// estimate a fifth of the way: it follows a change of load within a few
// compares, and one slow outlier does not swing it.
function movingAverage(first: number) {
  let value = first;
  return {
    value: () => value,
    add(sample: number) {
      value += (sample - value) / 5;
    },
  };
}

// Retry-After: about when the tasks already queued will be done, since
// retrying sooner only joins the same queue. At least a second.
function tooLate(backend: BcryptBackend, typicalMs: number): AppError {
  const drainMs = (backend.queued() * typicalMs) / backend.parallelism;
  return new AppError("SERVICE_UNAVAILABLE", TOO_LATE_TO_CHECK, {
    retryAfterSeconds: Math.max(1, Math.ceil(drainMs / 1000)),
  });
}

/** A hasher at `cost`; builds its dummy hash once, up front. */
export async function createPasswordHasher(
  cost: number,
  options: HasherOptions = {},
): Promise<PasswordHasher> {
  const backend = options.threads ? workerBackend(options.threads) : eventLoopBackend;
  const dummy = await backend.hash(randomBytes(32).toString("base64"), cost);
  // A hash and a compare at one cost do the same work: the dummy seeds the estimate.
  const typical = movingAverage(dummy.ms);

  async function compare(password: string, hash: string, deadline?: Deadline) {
    // The latest start that still finishes in time, at the typical pace.
    const startBy = deadline === undefined ? undefined : deadline - typical.value();
    // Too late already on arrival: say so now rather than after the queue.
    if (startBy !== undefined && Date.now() > startBy) throw tooLate(backend, typical.value());
    const outcome = await backend.compare(prehash(password), hash, startBy);
    if (!outcome) throw tooLate(backend, typical.value());
    typical.add(outcome.ms);
    return outcome.value;
  }

  return {
    hash: async (password) => {
      const hashed = await backend.hash(prehash(password), cost);
      typical.add(hashed.ms);
      return hashed.value;
    },
    verify: compare,
    burn: async (password, deadline) => {
      await compare(password, dummy.value, deadline);
    },
    needsRehash: (hash) => bcrypt.getRounds(hash) < cost,
    close: () => backend.close(),
  };
}
