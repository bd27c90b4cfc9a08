import { fileURLToPath } from "node:url";

/** The drizzle-kit output folder; resolves from src/ (tsx, vitest) and from the dist/ bundle. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
