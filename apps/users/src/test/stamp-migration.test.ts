import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { tempDataDir } from "@shop/kit/testing";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { type Harness, startHarness } from "./harness.js";

const BEFORE = "0001_add-session-stamp";
const data = tempDataDir("shop-users-stamp-");
let h: Harness;

/** A users database as the deploy of 0001 left it: migrated up to BEFORE only. */
async function databaseAtBefore(dir: string) {
  const folder = join(dir, "migrations");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  const last = journal.entries.findIndex((entry) => entry.tag === BEFORE);
  for (const entry of journal.entries.slice(last + 1)) rmSync(join(folder, `${entry.tag}.sql`));
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  const client = createClient({ url: `file:${dir}/users.db` });
  try {
    await migrate(drizzle(client), { migrationsFolder: folder });
    // Disabled before 0001: the column's default stamp 0, as its old sessions read.
    await client.execute(`insert into users
      (username, role, password_hash, password_changed_at, disabled, created_at, updated_at)
      values ('was-disabled', 'user', 'x', 0, 1, 0, 0), ('enabled', 'admin', 'x', 0, 0, 0, 0)`);
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  await databaseAtBefore(data.dir);
  h = await startHarness({ dataDir: data.dir });
});
afterAll(async () => {
  await h.close();
  data.cleanup();
});

describe("the migration after the session stamp's", () => {
  it("bumps the stamp of accounts disabled before it, so re-enabling them ends their old sessions", async () => {
    const internal = await h.internal();
    const status = (userId: number) => internal.accountStatus.query({ userId });
    await expect(status(1)).resolves.toMatchObject({ disabled: true, sessionStamp: 1 });
    await expect(status(2)).resolves.toMatchObject({ disabled: false, sessionStamp: 0 });
    const admin = h.client(await h.tokenFor(2, "enabled", { role: "admin" }));
    await admin.update.mutate({ id: 1, disabled: false });
    // Sessions from before 0001 carry stamp 0: auth refuses them now.
    await expect(status(1)).resolves.toMatchObject({ disabled: false, sessionStamp: 1 });
  });
});
