/**
 * True when `error` (or one of its causes: drizzle wraps the driver's error)
 * is a UNIQUE constraint violation.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code =
      (e as { code?: unknown; extendedCode?: unknown }).extendedCode ??
      (e as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (/UNIQUE constraint failed/.test(e.message)) return true;
  }
  return false;
}
