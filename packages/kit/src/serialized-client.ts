import type { Client, InStatement, Transaction, TransactionMode } from "@libsql/client";

// A statement that only reads; everything else may take SQLite's write lock.
const READ_ONLY = /^\s*(select|pragma)\b/i;

function sqlOf(statement: InStatement): string {
  return typeof statement === "string" ? statement : statement.sql;
}

/**
 * Orders one process's writers to an embedded file: interactive transactions
 * hold it one at a time, and every other write waits until none is open.
 */
export class WriteGate {
  #idle: Promise<void> = Promise.resolve();
  #holders = 0;

  /**
   * Takes the gate once every earlier holder let go; the caller must call the
   * returned release when its transaction has settled.
   */
  async hold(): Promise<() => void> {
    const previous = this.#idle;
    this.#holders++;
    let resolve!: () => void;
    this.#idle = new Promise((r) => {
      resolve = r;
    });
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#holders--;
      resolve();
    };
    await previous;
    return release;
  }

  /**
   * Settles when no transaction is open or waiting. Synchronous work run right
   * after it (a whole batch, one statement) cannot meet an open transaction.
   */
  async whenIdle(): Promise<void> {
    while (this.#holders > 0) await this.#idle;
  }
}

/**
 * Wraps an embedded libSQL client so that one process never waits on its own
 * write lock. The embedded client waits for SQLite's lock synchronously, on
 * the event loop: a write issued while an interactive transaction of the same
 * process is open would freeze the process until the busy timeout, and the
 * transaction could never finish. Here transactions run one at a time, and a
 * write waits (asynchronously) for the open transaction to settle. Reads pass
 * straight through: WAL lets them run beside a writer. Other writers of the
 * same file in this process (see {@link Database.prepared}) share the gate.
 */
export function serializeWrites(client: Client, gate = new WriteGate()): Client {
  async function transaction(mode?: TransactionMode): Promise<Transaction> {
    const release = await gate.hold();
    let tx: Transaction;
    try {
      tx = await client.transaction(mode);
    } catch (error) {
      release();
      throw error;
    }
    const settle = <T>(result: Promise<T>) => result.finally(release);
    return new Proxy(tx, {
      get(target, key, receiver) {
        if (key === "commit") return () => settle(target.commit());
        if (key === "rollback") return () => settle(target.rollback());
        if (key === "close") {
          return () => {
            target.close();
            release();
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "transaction") return transaction;
      if (key === "execute") {
        return async (statement: InStatement, args?: never) => {
          if (!READ_ONLY.test(sqlOf(statement))) await gate.whenIdle();
          return args === undefined
            ? target.execute(statement)
            : target.execute(statement as string, args);
        };
      }
      if (key === "batch") {
        return async (statements: InStatement[], mode?: TransactionMode) => {
          if (!statements.every((s) => READ_ONLY.test(sqlOf(s)))) await gate.whenIdle();
          return target.batch(statements, mode);
        };
      }
      if (key === "executeMultiple" || key === "migrate") {
        return async (arg: never) => {
          await gate.whenIdle();
          return (target[key] as (a: never) => Promise<unknown>)(arg);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
