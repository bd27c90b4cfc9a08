import { findMigrationsFolder } from "@shop/kit";

/** drizzle-kit's output folder, from src/, dist/ or dist/cli/ alike. */
export const MIGRATIONS_FOLDER = findMigrationsFolder(import.meta.url);
