import { sql } from "drizzle-orm";
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./db.js";
import { silentLogger, tempDataDir } from "./testing/index.js";

const notes = sqliteTable("notes", { id: integer("id").primaryKey() });

describe("serializeWrites", () => {
  const dirs: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of dirs.splice(0)) cleanup();
  });

  async function open() {
    const { dir, cleanup } = tempDataDir();
    dirs.push(cleanup);
    const database = await openDatabase({
      url: `file:${dir}/kit.db`,
      schema: { notes },
      migrationsFolder: new URL("./testing/no-migrations", import.meta.url).pathname,
      log: silentLogger,
    });
    await database.client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
    return database;
  }

  it("lets a write beside an open transaction wait instead of failing with SQLITE_BUSY", async () => {
    const { db, close } = await open();
    const inTransaction = db.transaction(async (tx) => {
      await tx.insert(notes).values({ id: 1 });
      // Awaiting here lets the other request run while this transaction holds the lock.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.insert(notes).values({ id: 2 });
    });
    const beside = db.insert(notes).values({ id: 3 });
    const reads = db.select().from(notes);
    await Promise.all([inTransaction, beside, reads]);
    const rows = await db.select().from(notes);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 2, 3]);
    close();
  });

  it("runs concurrent transactions one after the other, and survives a rollback", async () => {
    const { db, close } = await open();
    const failing = db.transaction(async (tx) => {
      await tx.insert(notes).values({ id: 10 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("roll back");
    });
    const succeeding = db.transaction(async (tx) => {
      await tx.insert(notes).values({ id: 11 });
      await tx.run(sql`select 1`);
    });
    await expect(failing).rejects.toThrow("roll back");
    await succeeding;
    expect((await db.select().from(notes)).map((r) => r.id)).toEqual([11]);
    close();
  });
});
