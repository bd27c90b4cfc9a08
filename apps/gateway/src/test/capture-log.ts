import { Writable } from "node:stream";
import type { Logger } from "@shop/kit";
import pino from "pino";

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
