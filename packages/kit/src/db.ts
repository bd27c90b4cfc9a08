import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import Libsql from "libsql";
import type { Logger } from "./logger.js";
import { clientPrepared, embeddedPrepared, type PreparedClient } from "./prepared.js";
import { serializeWrites, WriteGate } from "./serialized-client.js";
import { databaseFailure, dataDirFailure, ensureDirectory } from "./startup.js";

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

/** Named arguments of a read statement (`:name` in its SQL). */
export type ReadArgs = Record<string, string | number | null>;

/** A read-only statement, prepared once and run many times. */
export interface ReadStatement<Row> {
  /** The first row, or undefined; columns keyed by name. */
  get(args: ReadArgs): Promise<Row | undefined>;
}

/** An open, migrated database. */
export interface Database<TSchema extends Record<string, unknown>> {
  db: LibSQLDatabase<TSchema>;
  client: Client;
  /**
   * Prepares a statement for a hot read path. On an embedded file it is
   * compiled once on a read-only connection of its own and reused: libSQL's
   * client compiles the SQL again on every execute, which costs more than
   * running a small query. On a server it goes through the client.
   */
  prepareRead<Row>(sql: string): ReadStatement<Row>;
  /**
   * Writes (and reads that must see them) on the hot paths, their statements
   * compiled once: on an embedded file, on a connection of its own that waits
   * its turn with the client's transactions; on a server, through the client.
   */
  prepared: PreparedClient;
  close(): void;
}

/** The read-only connection behind {@link Database.prepareRead}, opened on first use. */
function embeddedReader(path: string, timeoutMs: number) {
  let connection: Libsql.Database | undefined;
  return {
    prepare<Row>(sql: string): ReadStatement<Row> {
      if (!connection) {
        connection = new Libsql(path, { timeout: timeoutMs });
        // libSQL's driver ignores `readonly`; refuse writes on this connection in SQLite itself.
        connection.pragma("query_only = ON");
      }
      const statement = connection.prepare(sql);
      return { get: async (args) => statement.get(args) as Row | undefined };
    },
    close: () => connection?.close(),
  };
}

/**
 * Opens a service's database and applies its pending migrations. An embedded
 * file runs in WAL mode (readers never wait on the writer) with a busy timeout;
 * libSQL turns foreign keys on and syncs fully on commit by default.
 *
 * An embedded file's client is wrapped by {@link serializeWrites}: SQLite's
 * write lock is waited for synchronously, on the event loop, so without it a
 * write beside an open interactive transaction of the same process would stall
 * the process for the busy timeout.
 */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const isFile = options.url.startsWith("file:");
  const path = options.url.slice("file:".length);
  if (isFile) {
    const dir = dirname(path);
    try {
      ensureDirectory(dir);
    } catch (error) {
      throw dataDirFailure(error, dir);
    }
  }
  // Embedded statements run synchronously, one at a time, and writes are
  // serialized (see serializeWrites): a few connections suffice, and each one
  // costs its own page cache. libSQL's default pool is 20.
  const timeoutMs = 5_000;
  const raw = createClient({
    url: options.url,
    authToken: options.authToken,
    timeout: timeoutMs,
    concurrency: isFile ? 4 : undefined,
  });
  const gate = new WriteGate();
  const client = isFile ? serializeWrites(raw, gate) : raw;
  // Same casing as drizzle.config.ts: camelCase keys in code, snake_case columns in SQL.
  const db = drizzle(client, { schema: options.schema, casing: "snake_case" });
  try {
    if (isFile) await client.execute("PRAGMA journal_mode=WAL");
    const started = performance.now();
    await migrate(db, { migrationsFolder: options.migrationsFolder });
    options.log.debug(`migrations applied in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    client.close();
    throw isFile ? databaseFailure(error, path) : error;
  }
  const reader = isFile ? embeddedReader(path, timeoutMs) : null;
  const prepared = isFile ? embeddedPrepared(path, timeoutMs, gate) : clientPrepared(client);
  return {
    db,
    client,
    prepareRead: <Row>(sql: string): ReadStatement<Row> =>
      reader
        ? reader.prepare<Row>(sql)
        : { get: async (args) => (await client.execute({ sql, args })).rows[0] as Row | undefined },
    prepared,
    close: () => {
      reader?.close();
      prepared.close();
      client.close();
    },
  };
}

/**
 * An app's drizzle-kit output folder, found by walking up from any of its
 * files: src/ under tsx and vitest, dist/ for the service bundle, dist/cli/
 * for command-line bundles.
 */
export function findMigrationsFolder(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, "drizzle");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`No drizzle/meta/_journal.json above ${fromUrl}`);
}
