import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
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

/** A JSON logger whose lines are kept in memory, to assert on what was logged. */
export function captureLog(service: string): {
  log: Logger;
  lines: Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { log: pino({ level: "info", base: { service } }, sink), lines };
}
