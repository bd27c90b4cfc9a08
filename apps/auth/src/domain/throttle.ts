import type { SqlStatement } from "@shop/kit";
import { AppError } from "@shop/kit";
import { and, lt } from "drizzle-orm";
import type { AuthDb } from "../db/index.js";
import { loginThrottles as t } from "../db/schema.js";
import type { ThrottleConfig } from "../env.js";

/** The throttle keys of one login attempt. */
export function throttleKeys(username: string, address: string) {
  return {
    account: `account:${username.trim().toLowerCase().slice(0, 64)}`,
    address: `address:${address.slice(0, 64)}`,
  };
}

/**
 * The refusal of a throttled attempt. `firstInBlock` is true only for the first
 * refusal this process saw for that block, so a client hammering a blocked
 * account cannot flood the audit log with one row per request.
 */
export class ThrottledError extends AppError {
  constructor(
    retryAfterSeconds: number,
    readonly firstInBlock: boolean,
  ) {
    super("TOO_MANY_REQUESTS", "Too many login attempts; try again later", { retryAfterSeconds });
  }
}

const AUDITED_BLOCKS_MAX = 10_000;

// The statements every login runs are SQL text, not drizzle builders: building
// them cost more CPU than SQLite took to run them.

// The window runs from the later of the last failure and the end of the last
// block: a capped 15-minute block does not hand out a fresh set of tries. Every
// SET expression reads the row as it was, so the block follows the new count.
const NEXT_FAILURES = `(CASE WHEN max("last_failure_at", "blocked_until") <= :windowStart
  THEN 1 ELSE "failures" + 1 END)`;
const CHARGE = `INSERT INTO "login_throttles" ("key", "failures", "last_failure_at", "blocked_until")
  VALUES (:key, 1, :now, :firstBlock)
  ON CONFLICT ("key") DO UPDATE SET
    "failures" = ${NEXT_FAILURES},
    "last_failure_at" = :now,
    "blocked_until" = (CASE WHEN ${NEXT_FAILURES} >= :limit
      THEN :now + min(:baseMs << min(${NEXT_FAILURES} - :limit, 30), :maxMs)
      ELSE "blocked_until" END)
  WHERE "blocked_until" <= :now
  RETURNING "failures"`;

const refundStatement = (key: string): SqlStatement => ({
  sql: `UPDATE "login_throttles" SET "failures" = max("failures" - 1, 0) WHERE "key" = ?`,
  args: [key],
});
const clearStatement = (key: string): SqlStatement => ({
  sql: `DELETE FROM "login_throttles" WHERE "key" = ?`,
  args: [key],
});

/**
 * Login throttling, per account and per client address, kept in the database.
 *
 * An attempt is charged *before* the password is checked and refunded when it
 * turns out not to be a failure; the charge is a conditional upsert that both
 * counts and, from the limit on, blocks (1 s doubling to 15 min). So a burst of
 * parallel guesses cannot all slip past the check: once the limit is reached,
 * every further charge finds the key blocked.
 */
export class LoginThrottle {
  #lastPrune = 0;
  /** Blocks already reported, by key: their end time. */
  readonly #reported = new Map<string, number>();

  constructor(
    private readonly db: AuthDb,
    private readonly config: ThrottleConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Charges one attempt against each key; TOO_MANY_REQUESTS when one is blocked. */
  async charge(keys: Array<{ key: string; limit: number }>): Promise<void> {
    const now = this.now();
    await this.#prune(now);
    await this.#throwIfBlocked(
      keys.map((k) => k.key),
      now,
    );
    // Every key in one transaction (one sync to disk). A key a concurrent
    // attempt blocked since the check above returns no row: that refuses this one.
    const results = await this.db.$prepared.batch(
      keys.map(({ key, limit }) => this.#chargeOne(key, limit, now)),
    );
    const blocked = keys.filter((_, i) => results[i]?.rows.length === 0).map((k) => k.key);
    if (blocked.length > 0) await this.#throwIfBlocked(blocked, now);
  }

  /** One attempt more against `key`; returns a row unless the key is blocked. */
  #chargeOne(key: string, limit: number, now: number): SqlStatement {
    const { baseBlockS, maxBlockS, windowS } = this.config;
    return {
      sql: CHARGE,
      args: {
        key,
        limit,
        now,
        windowStart: now - windowS * 1000,
        baseMs: baseBlockS * 1000,
        maxMs: maxBlockS * 1000,
        firstBlock: limit <= 1 ? now + baseBlockS * 1000 : 0,
      },
    };
  }

  async #throwIfBlocked(keys: string[], now: number): Promise<void> {
    const { rows } = await this.db.$prepared.execute({
      sql: `SELECT "key", "blocked_until" AS "until" FROM "login_throttles"
            WHERE "key" IN (${keys.map(() => "?").join(", ")}) AND "blocked_until" > ?`,
      args: [...keys, now],
    });
    if (rows.length === 0) return;
    const blocks = rows.map((row) => ({ key: String(row.key), until: Number(row.until) }));
    const until = Math.max(...blocks.map((block) => block.until));
    let first = false;
    for (const block of blocks) {
      if (this.#reported.get(block.key) === block.until) continue;
      first = true;
      this.#reported.delete(block.key);
      this.#reported.set(block.key, block.until);
      if (this.#reported.size > AUDITED_BLOCKS_MAX) {
        this.#reported.delete(this.#reported.keys().next().value!);
      }
    }
    throw new ThrottledError(Math.max(1, Math.ceil((until - now) / 1000)), first);
  }

  /** Takes back one charge: the attempt was not a failed password. */
  async refund(key: string): Promise<void> {
    await this.db.$prepared.execute(refundStatement(key));
  }

  /** Forgets a key's failures (a successful login clears its account's counter). */
  async clear(key: string): Promise<void> {
    await this.db.$prepared.execute(clearStatement(key));
  }

  /**
   * What a successful login does to its keys (clear the account's failures,
   * refund the address's charge), as statements to run in the login's batch.
   */
  successStatements(keys: { account: string; address: string }): SqlStatement[] {
    return [clearStatement(keys.account), refundStatement(keys.address)];
  }

  /** Drops counters that can no longer matter, at most once a minute. */
  async #prune(now: number): Promise<void> {
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    const windowStart = now - this.config.windowS * 1000;
    await this.db
      .delete(t)
      .where(and(lt(t.lastFailureAt, windowStart), lt(t.blockedUntil, windowStart)));
  }
}
