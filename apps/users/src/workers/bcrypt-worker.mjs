// bcrypt off the event loop, for the piscina pool in ../domain/password.ts.
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

/** @param {{ password: string; cost: number }} input */
export function hash({ password, cost }) {
  return bcrypt.hashSync(password, cost);
}

/** @param {{ password: string; hash: string }} input */
export function compare({ password, hash }) {
  return bcrypt.compareSync(password, hash);
}
