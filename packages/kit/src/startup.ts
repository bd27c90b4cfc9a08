import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "./logger.js";

/**
 * A start-up failure whose message says what to fix (a DATA_DIR that is a
 * file, a damaged database): logged as that one line, its cause only at debug.
 */
export class StartupError extends Error {
  override readonly name = "StartupError";
  /** True when trying again may succeed (the file was locked by another process). */
  readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, { cause: options?.cause });
    this.retryable = options?.retryable ?? false;
  }
}

const FILE_PROBLEMS: Record<string, string> = {
  EEXIST: "is a file, not a directory",
  ENOTDIR: "has a file, not a directory, on its way",
  EACCES: "cannot be written by this user",
  EPERM: "cannot be written by this user",
  EROFS: "is on a read-only file system",
  ENOSPC: "is on a device with no space left",
  ENOENT: "cannot be created (is a parent a dangling link, or a special file system?)",
};

const DATABASE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: "is not a database: move it away to start afresh, or restore a backup",
  SQLITE_CORRUPT: "is damaged: restore a backup, or move it away to start afresh",
  SQLITE_CANTOPEN: "cannot be opened: check that its directory exists and can be written",
  SQLITE_READONLY: "is read-only for this user",
  SQLITE_BUSY: "is locked by another process (another `npm start` still running?)",
  SQLITE_FULL: "is on a device with no space left",
};

/** A Node or libSQL error's `code`, when it has a string one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A file-system error on the data directory, as a {@link StartupError} that
 * names the path, or the error unchanged when it is not one this knows.
 */
export function dataDirFailure(error: unknown, dir: string): unknown {
  const problem = FILE_PROBLEMS[errorCode(error) ?? ""];
  const path = (error as { path?: string }).path ?? dir;
  return problem ? new StartupError(`${path} ${problem}: check DATA_DIR`, { cause: error }) : error;
}

/**
 * Creates `dir` and its missing parents, like `mkdirSync(dir, { recursive:
 * true })`, which in Node 20 never returns when a parent exists but cannot
 * hold the child (a path under /proc): here that child's ENOENT is final.
 */
export function ensureDirectory(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (error) {
    const code = errorCode(error);
    if (code === "EEXIST" && statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw error;
  }
  ensureDirectory(dirname(dir));
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another process may have made it meanwhile.
    if (!(errorCode(error) === "EEXIST" && statSync(dir).isDirectory())) throw error;
  }
}

/**
 * A libSQL error opening or migrating `file`, as a {@link StartupError} that
 * names the file, or the error unchanged when it is not one this knows.
 */
export function databaseFailure(error: unknown, file: string): unknown {
  const code = errorCode(error);
  // libSQL reports SQLITE_BUSY_SNAPSHOT and the like: the family decides.
  const family = Object.keys(DATABASE_PROBLEMS).find((known) => code?.startsWith(known));
  return family
    ? new StartupError(`the database ${file} ${DATABASE_PROBLEMS[family]}`, {
        cause: error,
        retryable: family === "SQLITE_BUSY",
      })
    : error;
}

/**
 * Awaits a service's start-up work. If it fails, logs one fatal line (a
 * {@link StartupError}'s message, else "cannot start" with the error) and
 * exits with status 1, rather than dying on an unhandled rejection's stack.
 */
export async function startOrExit<T>(log: Logger, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StartupError) {
      log.debug({ err: error.cause }, "start-up failure");
      log.fatal(error.message);
    } else {
      log.fatal({ err: error }, "cannot start");
    }
    process.exit(1);
  }
}
