import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "../logger.js";

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = createLogger({
  service: "test",
  level: "silent",
  format: "json",
});

/** A fresh temporary DATA_DIR and a function that removes it. */
export function tempDataDir(prefix = "shop-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
