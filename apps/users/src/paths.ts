import { fileURLToPath } from "node:url";

// Both paths resolve from src/ (tsx, vitest) and from dist/ (esbuild bundle) alike,
// since both sit one level below the app's root.

/** drizzle-kit's output folder. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** The bcrypt worker, copied next to the bundle by the build. */
export const BCRYPT_WORKER = new URL("./workers/bcrypt-worker.mjs", import.meta.url).href;
