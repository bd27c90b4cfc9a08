// bcrypt off the event loop, for the piscina pool in ../domain/bcrypt-backends.ts.
// Plain JavaScript so it loads unchanged under tsx, vitest and the dist bundle.
import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import bcrypt from "bcryptjs";

// Run hashing at a lower CPU priority than request handling: during a login
// storm every core hashes, yet reads elsewhere keep their latency. On Linux a
// thread id is accepted where a process id is; elsewhere this is skipped.
try {
  const threadId = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
  if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10);
} catch {
  // Not Linux, or not permitted: hashing still works at normal priority.
}

/**
 * @template T
 * @param {() => T} work
 * @returns {{ value: T; ms: number }} the answer, and how long this thread took
 *   (the pool learns from it how long a compare takes under the current load)
 */
function timed(work) {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

/** @param {{ password: string; cost: number }} input */
export function hash({ password, cost }) {
  return timed(() => bcrypt.hashSync(password, cost));
}

/**
 * Null, without hashing, when this thread reaches the task after `startBy`
 * (epoch ms, Date.now()'s clock, which every thread shares): the caller would
 * have given up before the compare could finish, so it would be wasted work.
 * @param {{ password: string; hash: string; startBy?: number }} input
 */
export function compare({ password, hash, startBy }) {
  if (startBy !== undefined && Date.now() > startBy) return null;
  return timed(() => bcrypt.compareSync(password, hash));
}
