import type { Logger } from "@shop/kit";
import { count, sql } from "drizzle-orm";
import type { UsersDb } from "../db/index.js";
import { users } from "../db/schema.js";
import type { PasswordHasher } from "./password.js";
import type { Role } from "./users.js";

/**
 * The seed system's demo accounts, with the ids they get in an empty table
 * (inserted in this order). Their passwords predate the policy for new
 * passwords (maxim/maxim is too short and equals the username): grandfathered.
 */
export const DEMO_ACCOUNTS = {
  admin: {
    id: 1,
    username: "admin",
    password: "admin123",
    email: "admin@example.com",
    role: "admin",
  },
  user1: {
    id: 2,
    username: "user1",
    password: "password1",
    email: "user1@example.com",
    role: "user",
  },
  maxim: { id: 3, username: "maxim", password: "maxim", email: "maxim@example.com", role: "user" },
} as const satisfies Record<
  string,
  { id: number; username: string; password: string; email: string; role: Role }
>;

const DEMO_USERS = Object.values(DEMO_ACCOUNTS);

/**
 * Seeds the demo accounts into an empty table (ids 1, 2, 3 on a fresh
 * database). One INSERT ... WHERE NOT EXISTS statement does it, so when two
 * processes start at once the second inserts nothing. Returns how many it added.
 */
export async function seedDemoUsers(
  db: UsersDb,
  passwords: PasswordHasher,
  log: Logger,
): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return 0;
  const now = Date.now();
  const rows = await Promise.all(
    DEMO_USERS.map(
      async (u) =>
        sql`(${u.username}, ${u.email}, ${u.role}, ${await passwords.hash(u.password)}, ${now}, 0, ${now}, ${now})`,
    ),
  );
  const result = await db.run(sql`
    insert into ${users} (username, email, role, password_hash, password_changed_at, disabled, created_at, updated_at)
    select * from (values ${sql.join(rows, sql`, `)})
    where not exists (select 1 from ${users})`);
  if (result.rowsAffected > 0) {
    log.warn(
      `seeded ${result.rowsAffected} demo accounts with well-known passwords; off by default with NODE_ENV=production`,
    );
  }
  return result.rowsAffected;
}
