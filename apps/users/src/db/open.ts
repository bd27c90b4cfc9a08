import { type Database, databaseUrl, type Logger, openDatabase, StartupError } from "@shop/kit";
import type { Config } from "../env.js";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { schema, type UsersDb } from "./index.js";

const ATTEMPTS = 3;

/**
 * Opens and migrates the users database. Two processes starting at once on
 * the same file can both try to apply the first migration; the loser fails on
 * "table already exists", and its retry finds the migration applied.
 */
export async function openUsersDatabase(
  config: Config,
  log: Logger,
): Promise<Database<typeof schema> & { db: UsersDb }> {
  const url = databaseUrl("users", config.dataDir, config.databaseUrl);
  for (let attempt = 1; ; attempt++) {
    try {
      const database = await openDatabase({
        url,
        authToken: config.databaseAuthToken,
        schema,
        migrationsFolder: MIGRATIONS_FOLDER,
        log,
      });
      const db = Object.assign(database.db, { $prepareRead: database.prepareRead });
      return { ...database, db };
    } catch (error) {
      // A StartupError (DATA_DIR a file, a damaged database) fails the same way
      // again, unless the file was only locked by the other process starting.
      if (attempt >= ATTEMPTS || (error instanceof StartupError && !error.retryable)) throw error;
      log.warn({ err: error, attempt }, "opening the database failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}
