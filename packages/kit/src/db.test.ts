import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./db.js";
import { clientPrepared } from "./prepared.js";
import { silentLogger, tempDataDir } from "./testing/index.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A fresh embedded database in a temp dir holding one `notes` table. */
async function openNotes(createNotes: string) {
  const { dir, cleanup } = tempDataDir();
  const database = await openDatabase({
    url: `file:${dir}/kit.db`,
    schema: {},
    migrationsFolder: new URL("./testing/no-migrations", import.meta.url).pathname,
    log: silentLogger,
  });
  cleanups.push(() => database.close(), cleanup);
  await database.client.execute(createNotes);
  return database;
}

describe("prepareRead on an embedded file", () => {
  const open = () => openNotes("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");

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

describe("prepared statements", () => {
  const open = () =>
    openNotes(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, flag INTEGER)",
    );

  // The embedded connection of its own, and the client's path a libSQL server takes.
  const kinds = {
    embedded: (database: Awaited<ReturnType<typeof open>>) => database.prepared,
    "through the client": (database: Awaited<ReturnType<typeof open>>) =>
      clientPrepared(database.client),
  };

  for (const [kind, preparedOf] of Object.entries(kinds)) {
    describe(kind, () => {
      it("binds positional and named arguments and reports rows, changes and rowids", async () => {
        const database = await open();
        const prepared = preparedOf(database);
        const [first, second, returned] = await prepared.batch([
          { sql: "INSERT INTO notes (body, flag) VALUES (?, ?)", args: ["a", true] },
          {
            sql: "INSERT INTO notes (body, flag) VALUES (:body, :flag)",
            args: { body: "b", flag: false },
          },
          { sql: "UPDATE notes SET body = body || '!' RETURNING id, body", args: [] },
        ]);
        expect(first).toMatchObject({ rowsAffected: 1, lastInsertRowid: 1 });
        expect(second).toMatchObject({ rowsAffected: 1, lastInsertRowid: 2 });
        expect(returned?.rows).toEqual([
          { id: 1, body: "a!" },
          { id: 2, body: "b!" },
        ]);
        expect(returned?.rowsAffected).toBe(2);
        const read = await prepared.execute({
          sql: "SELECT flag FROM notes WHERE id IN (?, ?) ORDER BY id",
          args: [1, 2],
        });
        expect(read.rows).toEqual([{ flag: 1 }, { flag: 0 }]);
        // Written for everyone: the client sees it.
        const count = await database.client.execute("SELECT count(*) AS n FROM notes");
        expect(count.rows[0]?.n).toBe(2);
      });

      it("commits a batch whole or not at all, and works on after a failure", async () => {
        const database = await open();
        const prepared = preparedOf(database);
        await expect(
          prepared.batch([
            { sql: "INSERT INTO notes (body) VALUES (?)", args: ["kept?"] },
            { sql: "INSERT INTO notes (body) VALUES (?)", args: ["kept?"] },
          ]),
        ).rejects.toThrow(/UNIQUE/);
        const none = await prepared.execute({ sql: "SELECT count(*) AS n FROM notes" });
        expect(none.rows[0]?.n).toBe(0);
        await prepared.batch([{ sql: "INSERT INTO notes (body) VALUES (?)", args: ["kept"] }]);
        const one = await prepared.execute({ sql: "SELECT body FROM notes" });
        expect(one.rows).toEqual([{ body: "kept" }]);
      });
    });
  }

  it("refuses an undefined argument instead of binding NULL", async () => {
    const database = await open();
    await expect(
      database.prepared.execute({
        sql: "INSERT INTO notes (body) VALUES (?)",
        args: [undefined as unknown as string],
      }),
    ).rejects.toThrow(TypeError);
  });

  it("waits for the process's open transaction instead of its own write lock", async () => {
    const database = await open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = database.db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO notes (body) VALUES ('in the transaction')`);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    const write = database.prepared.batch([
      { sql: "INSERT INTO notes (body) VALUES (?)", args: ["beside it"] },
    ]);
    let done = false;
    void write.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Not run yet (it would have stalled the event loop for the busy timeout).
    expect(done).toBe(false);
    release();
    await transaction;
    await write;
    // Well under the 5 s busy timeout: it waited for the commit, not the lock.
    expect(performance.now() - started).toBeLessThan(2_000);
    const rows = await database.prepared.execute({ sql: "SELECT body FROM notes ORDER BY id" });
    expect(rows.rows).toEqual([{ body: "in the transaction" }, { body: "beside it" }]);
  });

  it("keeps working past its cache of compiled statements", async () => {
    const database = await open();
    for (let i = 0; i < 300; i++) {
      await database.prepared.execute({
        sql: `INSERT INTO notes (body) VALUES ('note ${i}')`,
      });
    }
    const count = await database.prepared.execute({ sql: "SELECT count(*) AS n FROM notes" });
    expect(count.rows[0]?.n).toBe(300);
  });
});
