import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema.js";

export * from "./schema.js";

/** The orders service's database handle. */
export type OrdersDb = LibSQLDatabase<typeof schema>;
