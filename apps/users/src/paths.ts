import { fileURLToPath } from "node:url";

/** drizzle-kit's output folder; resolves from src/ (tsx, vitest) and from dist/ (esbuild bundle) alike. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));
