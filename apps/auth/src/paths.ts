import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Drizzle migrations. `../drizzle` from src/ (tsx, vitest) and from the bundle
 * dist/index.js; `../../drizzle` from the CLI bundles in dist/cli/.
 */
export const MIGRATIONS_FOLDER = ["../drizzle", "../../drizzle"]
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((folder) => existsSync(`${folder}/meta/_journal.json`))!;
