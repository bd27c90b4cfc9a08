import bcrypt from "bcryptjs";
import { Piscina } from "piscina";
import { BCRYPT_WORKER } from "../paths.js";

/** A bcrypt answer and the milliseconds bcrypt itself took (queueing excluded). */
export interface Timed<T> {
  value: T;
  ms: number;
}

/** Where bcrypt runs: on the event loop, or on a pool of worker threads. */
export interface BcryptBackend {
  hash(password: string, cost: number): Promise<Timed<string>>;
  /**
   * Null when the compare was dropped unstarted: it had not begun by `startBy`
   * (epoch ms), so it could not finish before its caller gives up.
   */
  compare(password: string, hash: string, startBy?: number): Promise<Timed<boolean> | null>;
  /** Tasks waiting for a free thread. */
  queued(): number;
  /** Tasks that run at once. */
  readonly parallelism: number;
  close(): Promise<void>;
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/**
 * On the event loop: bcryptjs's async API yields between rounds, but a login
 * can then use only the one core the event loop runs on. Compares interleave
 * rather than queue: each starts on arrival, where the hasher has already
 * checked `startBy`, so none is ever dropped here.
 */
export const eventLoopBackend: BcryptBackend = {
  hash: (password, cost) => timed(() => bcrypt.hash(password, cost)),
  compare: (password, hash) => timed(() => bcrypt.compare(password, hash)),
  queued: () => 0,
  parallelism: 1,
  close: async () => {},
};

/**
 * On worker threads (one per core by default): logins use every core, and the
 * event loop stays free for requests. The worker checks `startBy` itself, right
 * before hashing, because only then is it known how long the task waited.
 */
export function workerBackend(threads: number): BcryptBackend {
  const pool = new Piscina({
    filename: BCRYPT_WORKER,
    minThreads: threads,
    maxThreads: threads,
    // By default piscina sends a task it could not hand to a busy thread to the
    // back of the queue: under a storm some logins then wait many times the
    // queue's length (past any deadline) while later ones overtake them. In
    // order, a login waits for the ones ahead of it and no longer.
    stricterFIFO: true,
  });
  return {
    hash: (password, cost) => pool.run({ password, cost }, { name: "hash" }),
    compare: (password, hash, startBy) =>
      pool.run({ password, hash, startBy }, { name: "compare" }),
    queued: () => pool.queueSize,
    parallelism: threads,
    close: () => pool.destroy(),
  };
}
