import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema.js";

/** The auth service's database handle. */
export type AuthDb = LibSQLDatabase<typeof schema>;
