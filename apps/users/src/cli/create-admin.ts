/**
 * Creates an administrator, for a database started with SEED_DEMO_USERS=false
 * (production), where no account exists to create the first one through the API.
 *
 *   npm run create-admin -w apps/users -- <username> [email] < password-file
 *
 * The password is read from stdin, never from argv (which other users of the
 * machine can see in the process list) nor from the shell history.
 */
import { text } from "node:stream/consumers";
import { AppError, createLogger } from "@shop/kit";
import { z } from "zod";
import { openUsersDatabase } from "../db/open.js";
import { createUser } from "../domain/create-user.js";
import { createPasswordHasher, newPasswordSchema } from "../domain/password.js";
import { loadConfig } from "../env.js";
import { emailSchema, newUsernameSchema } from "../procedures/inputs.js";

const argsSchema = z.tuple([newUsernameSchema, emailSchema.optional()]);

function fail(message: string): never {
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(1);
}

const args = argsSchema.safeParse(process.argv.slice(2));
if (!args.success) {
  fail("usage: create-admin <username> [email] < password (username: 3..32 of A-Z a-z 0-9 _ . -)");
}
const [username, email] = args.data;
if (process.stdin.isTTY) process.stderr.write("Password (then Enter and Ctrl-D): ");
const password = (await text(process.stdin)).replace(/\r?\n$/, "");
const checked = newPasswordSchema.safeParse(password);
if (!checked.success) fail("the password must be 8..128 characters");

const config = loadConfig();
const log = createLogger({ service: "users", level: "warn", format: config.logFormat });
const database = await openUsersDatabase(config, log);
try {
  const passwords = await createPasswordHasher(config.bcryptCost);
  const user = await createUser(database.db, passwords, {
    username,
    password: checked.data,
    email: email ?? null,
    role: "admin",
  });
  process.stdout.write(`created admin ${user.username} (id ${user.id})\n`);
} catch (error) {
  fail(error instanceof AppError ? error.message : String(error));
} finally {
  database.close();
}
