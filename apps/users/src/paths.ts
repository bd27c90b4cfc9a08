import { findMigrationsFolder } from "@shop/kit";

/** drizzle-kit's output folder, from src/, dist/ or dist/cli/ alike. */
export const MIGRATIONS_FOLDER = findMigrationsFolder(import.meta.url);

/** The bcrypt worker, copied beside the service bundle (src/workers under tsx and vitest). */
export const BCRYPT_WORKER = new URL("./workers/bcrypt-worker.mjs", import.meta.url).href;
