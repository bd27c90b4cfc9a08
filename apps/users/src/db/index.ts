import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema.js";

export * as schema from "./schema.js";
export * from "./schema.js";

/** The users service's drizzle handle. */
export type UsersDb = LibSQLDatabase<typeof schema>;
