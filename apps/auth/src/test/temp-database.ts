import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterAll, beforeAll } from "vitest";
import { type AuthDb, openAuthDatabase } from "../db/index.js";

/**
 * Auth's real database in a temp dir for this test file: opened (and migrated)
 * before its tests, closed and removed after. Returns its drizzle handle.
 */
export function useTempAuthDatabase(prefix: string): () => AuthDb {
  const temp = tempDataDir(prefix);
  let database: Awaited<ReturnType<typeof openAuthDatabase>> | undefined;
  beforeAll(async () => {
    database = await openAuthDatabase({ url: `file:${temp.dir}/auth.db` }, silentLogger);
  });
  afterAll(() => {
    database?.close();
    temp.cleanup();
  });
  return () => {
    if (!database) throw new Error("The test database is opened in beforeAll");
    return database.db;
  };
}
