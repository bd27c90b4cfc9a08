import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openUsersDatabase } from "../db/open.js";
import { users } from "../db/schema.js";
import { configFromEnv, envSchema } from "../env.js";
import { createPasswordHasher } from "./password.js";
import { seedDemoUsers } from "./seed.js";

const data = tempDataDir();
afterAll(() => data.cleanup());
let database: Awaited<ReturnType<typeof openUsersDatabase>>;
beforeAll(async () => {
  database = await openUsersDatabase(
    configFromEnv(envSchema.parse({ DATA_DIR: data.dir })),
    silentLogger,
  );
});
afterAll(() => database.close());

describe("seedDemoUsers", () => {
  it("inserts the demo accounts once even when two seeders race past the emptiness check", async () => {
    const passwords = await createPasswordHasher(4);
    // Both calls see an empty table before either inserts (hashing yields in between);
    // the insert's own NOT EXISTS makes the second one add nothing.
    const added = await Promise.all([
      seedDemoUsers(database.db, passwords, silentLogger),
      seedDemoUsers(database.db, passwords, silentLogger),
    ]);
    expect(added.sort()).toEqual([0, 3]);
    const rows = await database.db
      .select({ id: users.id, username: users.username, role: users.role })
      .from(users)
      .orderBy(users.id);
    expect(rows).toEqual([
      { id: 1, username: "admin", role: "admin" },
      { id: 2, username: "user1", role: "user" },
      { id: 3, username: "maxim", role: "user" },
    ]);
    expect(await seedDemoUsers(database.db, passwords, silentLogger)).toBe(0);
  });

  it("stamps passwordChangedAt with the creation time", async () => {
    const rows = await database.db
      .select({ createdAt: users.createdAt, passwordChangedAt: users.passwordChangedAt })
      .from(users);
    for (const row of rows) expect(row.passwordChangedAt).toBe(row.createdAt);
  });
});
