import type { Client, InArgs, ResultSet } from "@libsql/client";
import Libsql from "libsql";
import type { WriteGate } from "./serialized-client.js";

/** A value bound to a statement's parameter. */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

/** SQL text with positional (`?`) or named (`:name`) arguments. */
export interface SqlStatement {
  sql: string;
  args?: readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
}

/** What one statement did. */
export interface SqlResult {
  /** The rows it returned (a query, or RETURNING), keyed by column name. */
  rows: Record<string, unknown>[];
  /** Rows it changed; for a statement that returns rows, how many it returned. */
  rowsAffected: number;
  /** The rowid of the row a statement that returns no rows inserted last. */
  lastInsertRowid: number | undefined;
}

/**
 * Statements compiled once per connection and run many times, for the hot
 * paths: `@libsql/client` compiles the SQL again on every call, which costs
 * several times what SQLite takes to run a small statement.
 */
export interface PreparedClient {
  /** One statement, in a transaction of its own. */
  execute(statement: SqlStatement): Promise<SqlResult>;
  /** Statements in one write transaction (BEGIN IMMEDIATE … COMMIT): all or nothing. */
  batch(statements: readonly SqlStatement[]): Promise<SqlResult[]>;
  close(): void;
}

const CACHED_STATEMENTS = 128;

function bindable(value: SqlValue | undefined, name: string | number): unknown {
  if (value === undefined) throw new TypeError(`SQL argument ${name} is undefined`);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function bindings(args: SqlStatement["args"]): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map((value, i) => bindable(value, i + 1));
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args as Record<string, SqlValue>)) {
    // `:key`, `@key` and `$key` all name the parameter `key`, as in @libsql/client.
    named[/^[:@$]/.test(name) ? name.slice(1) : name] = bindable(value, name);
  }
  return named;
}

/**
 * On an embedded file: one connection of its own, its compiled statements
 * kept (the most recently used {@link CACHED_STATEMENTS}), opened on first
 * use. Each call waits at `gate` until no interactive transaction of this
 * process is open, then runs whole and synchronously, so it never waits on
 * this process's own write lock and never interleaves with its other writes.
 */
export function embeddedPrepared(path: string, timeoutMs: number, gate: WriteGate): PreparedClient {
  type Compiled = ReturnType<Libsql.Database["prepare"]>;
  let connection: Libsql.Database | undefined;
  const cache = new Map<string, Compiled>();

  function statement(sql: string): Compiled {
    let compiled = cache.get(sql);
    if (compiled) {
      cache.delete(sql);
    } else {
      if (!connection) {
        connection = new Libsql(path, { timeout: timeoutMs });
        connection.pragma("foreign_keys = ON");
      }
      compiled = connection.prepare(sql);
      if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, compiled);
    return compiled;
  }

  function run(input: SqlStatement): SqlResult {
    const compiled = statement(input.sql);
    const args = bindings(input.args);
    if (compiled.reader) {
      const rows = compiled.all(args) as Record<string, unknown>[];
      return { rows, rowsAffected: rows.length, lastInsertRowid: undefined };
    }
    const info = compiled.run(args);
    return { rows: [], rowsAffected: info.changes, lastInsertRowid: Number(info.lastInsertRowid) };
  }

  return {
    async execute(input) {
      await gate.whenIdle();
      return run(input);
    },
    async batch(inputs) {
      await gate.whenIdle();
      statement("BEGIN IMMEDIATE").run([]);
      try {
        const results = inputs.map(run);
        statement("COMMIT").run([]);
        return results;
      } catch (error) {
        if (connection?.inTransaction) connection.exec("ROLLBACK");
        throw error;
      }
    },
    close() {
      cache.clear();
      connection?.close();
      connection = undefined;
    },
  };
}

/** On a libSQL server: the client's own execute and batch, with the same results. */
export function clientPrepared(client: Client): PreparedClient {
  const result = (set: ResultSet): SqlResult => {
    const returnsRows = set.columns.length > 0;
    return {
      rows: set.rows.map((row) =>
        Object.fromEntries(set.columns.map((column, i) => [column, row[i]])),
      ),
      rowsAffected: returnsRows ? set.rows.length : set.rowsAffected,
      lastInsertRowid: returnsRows ? undefined : Number(set.lastInsertRowid ?? 0),
    };
  };
  const plain = (s: SqlStatement) => ({ sql: s.sql, args: (s.args ?? []) as InArgs });
  return {
    execute: async (s) => result(await client.execute(plain(s))),
    batch: async (all) => (await client.batch(all.map(plain), "write")).map(result),
    close: () => {},
  };
}
