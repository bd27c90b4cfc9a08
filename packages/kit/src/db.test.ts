import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./db.js";
import { silentLogger, tempDataDir } from "./testing/index.js";

describe("prepareRead on an embedded file", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function open() {
    const { dir, cleanup } = tempDataDir();
    const database = await openDatabase({
      url: `file:${dir}/kit.db`,
      schema: {},
      migrationsFolder: new URL("./testing/no-migrations", import.meta.url).pathname,
      log: silentLogger,
    });
    cleanups.push(() => database.close(), cleanup);
    await database.client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    return database;
  }

  it("binds named arguments and sees every write committed after it was prepared", async () => {
    const database = await open();
    const byId = database.prepareRead<{ id: number; body: string }>(
      "select id, body from notes where id = :id",
    );
    expect(await byId.get({ id: 1 })).toBeUndefined();
    await database.client.execute({ sql: "insert into notes values (1, 'a')", args: [] });
    expect(await byId.get({ id: 1 })).toMatchObject({ id: 1, body: "a" });
    await database.client.execute("update notes set body = 'b' where id = 1");
    expect(await byId.get({ id: 1 })).toMatchObject({ id: 1, body: "b" });
  });

  it("refuses to write: its connection is query-only", async () => {
    const database = await open();
    const write = database.prepareRead("insert into notes values (:id, 'x') returning id");
    await expect(write.get({ id: 7 })).rejects.toThrow(/readonly|read-only|query_only/i);
    const count = await database.client.execute("select count(*) as n from notes");
    expect(count.rows[0]?.n).toBe(0);
  });
});
