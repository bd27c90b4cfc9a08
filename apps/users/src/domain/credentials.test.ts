import { silentLogger, tempDataDir } from "@shop/kit/testing";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openUsersDatabase } from "../db/open.js";
import { users } from "../db/schema.js";
import { configFromEnv, envSchema } from "../env.js";
import { verifyCredentials } from "./credentials.js";
import { createPasswordHasher, type PasswordHasher } from "./password.js";
import { seedDemoUsers } from "./seed.js";

const data = tempDataDir();
let database: Awaited<ReturnType<typeof openUsersDatabase>>;
let base: PasswordHasher;
beforeAll(async () => {
  database = await openUsersDatabase(
    configFromEnv(envSchema.parse({ DATA_DIR: data.dir })),
    silentLogger,
  );
  base = await createPasswordHasher(4);
  await seedDemoUsers(database.db, base, silentLogger);
});
afterAll(() => {
  database.close();
  data.cleanup();
});

/** Counts the bcrypt compares a login costs. */
function counting(hasher: PasswordHasher) {
  const calls = { compares: 0 };
  const wrapped: PasswordHasher = {
    ...hasher,
    verify: (password, hash) => {
      calls.compares++;
      return hasher.verify(password, hash);
    },
    burn: (password) => {
      calls.compares++;
      return hasher.burn(password);
    },
  };
  return { wrapped, calls };
}

describe("verifyCredentials", () => {
  it("runs exactly one bcrypt compare for an unknown user, as for a wrong password", async () => {
    for (const [username, password] of [
      ["nobody", "admin123"],
      ["admin", "wrong"],
    ]) {
      const { wrapped, calls } = counting(base);
      await expect(
        verifyCredentials(database.db, wrapped, username!, password!),
      ).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Invalid username or password" });
      expect(calls.compares, username).toBe(1);
    }
  });

  it("upgrades a hash made at a lower cost at the next successful login", async () => {
    const stronger = await createPasswordHasher(5);
    const before = await database.db
      .select({ hash: users.passwordHash, changedAt: users.passwordChangedAt })
      .from(users)
      .where(eq(users.id, 2))
      .get();
    expect(bcrypt.getRounds(before!.hash)).toBe(4);
    await verifyCredentials(database.db, stronger, "user1", "password1");
    const after = await database.db
      .select({ hash: users.passwordHash, changedAt: users.passwordChangedAt })
      .from(users)
      .where(eq(users.id, 2))
      .get();
    expect(bcrypt.getRounds(after!.hash)).toBe(5);
    expect(after!.changedAt).toBe(before!.changedAt);
    await expect(verifyCredentials(database.db, base, "user1", "password1")).resolves.toMatchObject(
      {
        id: 2,
      },
    );
  });
});
