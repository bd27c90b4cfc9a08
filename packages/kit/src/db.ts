import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Logger } from "./logger.js";

/**
 * The database URL of a service: `DATABASE_URL` when set (a libSQL server:
 * `libsql://`, `http(s)://`), else an embedded file `<DATA_DIR>/<name>.db`.
 */
export function databaseUrl(name: string, dataDir: string, explicit?: string): string {
  return explicit ?? `file:${resolve(dataDir, `${name}.db`)}`;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  url: string;
  authToken?: string;
  schema: TSchema;
  /** The service's drizzle-kit output folder, applied at start-up. */
  migrationsFolder: string;
  log: Logger;
}

/** An open, migrated database. */
export interface Database<TSchema extends Record<string, unknown>> {
  db: LibSQLDatabase<TSchema>;
  client: Client;
  close(): void;
}

/**
 * Opens a service's database and applies its pending migrations. An embedded
 * file runs in WAL mode (readers never wait on the writer) with a busy timeout;
 * libSQL turns foreign keys on and syncs fully on commit by default.
 *
 * Writing rule: the embedded client waits for SQLite's write lock
 * synchronously, on the event loop. An interactive `db.transaction()` that
 * awaits between statements while another request of the same process starts
 * a write therefore stalls the whole process for the busy timeout. On request
 * paths write with single statements or `client.batch([...], "write")`, which
 * run to completion without yielding; keep interactive transactions for
 * start-up and command-line tools, or serialize them with {@link createWriteQueue}.
 */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const isFile = options.url.startsWith("file:");
  if (isFile) mkdirSync(dirname(options.url.slice("file:".length)), { recursive: true });
  const client = createClient({ url: options.url, authToken: options.authToken, timeout: 5_000 });
  if (isFile) await client.execute("PRAGMA journal_mode=WAL");
  // Same casing as drizzle.config.ts: camelCase keys in code, snake_case columns in SQL.
  const db = drizzle(client, { schema: options.schema, casing: "snake_case" });
  const started = performance.now();
  await migrate(db, { migrationsFolder: options.migrationsFolder });
  options.log.debug(`migrations applied in ${Math.round(performance.now() - started)} ms`);
  return { db, client, close: () => client.close() };
}

/**
 * Serializes a process's write work (see the writing rule on
 * {@link openDatabase}): each task starts when the previous one has settled,
 * so two transactions of one process never wait on each other's lock.
 */
export function createWriteQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
