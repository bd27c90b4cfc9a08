import type { ReadStatement } from "@shop/kit";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema.js";

export * as schema from "./schema.js";
export * from "./schema.js";

/**
 * The users service's drizzle handle, and the kit's prepared reads for the
 * lookups every login, refresh and signed-in request makes (see
 * Database.prepareRead): drizzle builds and libSQL's client compiles a query
 * again on every call, which costs more than running it.
 */
export type UsersDb = LibSQLDatabase<typeof schema> & {
  $prepareRead<Row>(sql: string): ReadStatement<Row>;
};
