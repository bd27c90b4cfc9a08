import type { Client } from "@libsql/client";
import { type Logger, openDatabase, type PreparedClient } from "@shop/kit";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { MIGRATIONS_FOLDER } from "../paths.js";
import * as schema from "./schema.js";

/**
 * The auth service's database: drizzle, its libSQL client, and the prepared
 * statements its hot paths (login, refresh) write with, in atomic batches.
 */
export type AuthDb = LibSQLDatabase<typeof schema> & { $client: Client; $prepared: PreparedClient };

/** Opens (and migrates) auth's database. */
export async function openAuthDatabase(
  options: { url: string; authToken?: string },
  log: Logger,
): Promise<{ db: AuthDb; client: Client; close(): void }> {
  const database = await openDatabase({
    url: options.url,
    authToken: options.authToken,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log,
  });
  // drizzle() attaches the client as $client; the kit's type leaves it out.
  const db = Object.assign(database.db, { $prepared: database.prepared }) as AuthDb;
  return { db, client: database.client, close: database.close };
}
