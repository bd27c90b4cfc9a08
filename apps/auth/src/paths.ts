import { fileURLToPath } from "node:url";

/** Drizzle migrations; resolves from src/ (tsx, vitest) and from the bundle in dist/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
