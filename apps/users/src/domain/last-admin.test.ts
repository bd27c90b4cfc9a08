import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openUsersDatabase } from "../db/open.js";
import { users } from "../db/schema.js";
import { configFromEnv, envSchema } from "../env.js";
import { createUser } from "./create-user.js";
import { deleteUser } from "./delete-user.js";
import { createPasswordHasher, type PasswordHasher } from "./password.js";
import { seedDemoUsers } from "./seed.js";
import { updateUser } from "./update-user.js";
import type { Actor } from "./users.js";

// Calling the domain functions side by side interleaves them at every await,
// the tightest race one process can produce: a check-then-write in JavaScript
// would let both writes through. The guard inside each statement does not.

let data: ReturnType<typeof tempDataDir>;
let database: Awaited<ReturnType<typeof openUsersDatabase>>;
let passwords: PasswordHasher;
let admin: Actor;
let other: Actor;

beforeEach(async () => {
  data = tempDataDir();
  database = await openUsersDatabase(
    configFromEnv(envSchema.parse({ DATA_DIR: data.dir })),
    silentLogger,
  );
  passwords = await createPasswordHasher(4);
  await seedDemoUsers(database.db, passwords, silentLogger);
  admin = { id: 1, role: "admin" };
  const created = await createUser(database.db, passwords, {
    username: "other",
    password: "long-enough-pw",
    role: "admin",
  });
  other = { id: created.id, role: "admin" };
});
afterEach(() => {
  database.close();
  data.cleanup();
});

async function activeAdmins(): Promise<number> {
  const rows = await database.db.select({ role: users.role, disabled: users.disabled }).from(users);
  return rows.filter((row) => row.role === "admin" && !row.disabled).length;
}

async function outcomes(calls: Array<Promise<unknown>>): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) =>
    s.status === "fulfilled" ? "OK" : (s.reason as { code: string }).code,
  );
}

describe("the last active admin under concurrency", () => {
  it("survives two admins demoting each other at once", async () => {
    const codes = await outcomes([
      updateUser(database.db, passwords, admin, { id: other.id, role: "user" }),
      updateUser(database.db, passwords, other, { id: admin.id, role: "user" }),
    ]);
    expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await activeAdmins()).toBe(1);
  });

  it("survives two admins disabling each other at once", async () => {
    const codes = await outcomes([
      updateUser(database.db, passwords, admin, { id: other.id, disabled: true }),
      updateUser(database.db, passwords, other, { id: admin.id, disabled: true }),
    ]);
    expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await activeAdmins()).toBe(1);
  });

  it("survives two admins deleting each other at once", async () => {
    const codes = await outcomes([
      deleteUser(database.db, admin, other.id),
      deleteUser(database.db, other, admin.id),
    ]);
    expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await activeAdmins()).toBe(1);
  });
});
