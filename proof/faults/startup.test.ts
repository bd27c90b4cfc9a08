import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICES, type ServiceName, startCommand } from "@shop/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A process that cannot start says why in one line a person can act on, and
// exits 1 promptly: no stack trace to read through, no hang. Each built app
// starts as `npm start` runs it, on the default (pretty) log format.

const WITH_DATABASE = ["bank", "users", "auth", "orders"] as const;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "shop-startup-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts one built app with `env` and waits (at most 20 s) for it to exit. */
function startAndWait(
  service: ServiceName,
  env: Record<string, string>,
): Promise<{ code: number | null; lines: string[] }> {
  const { flags, entry } = startCommand(service);
  const child = spawn(process.execPath, [...flags, entry], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", BCRYPT_COST: "4", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, lines: output.split("\n").filter((line) => line.trim() !== "") });
    });
  });
}

/** Exit status 1, exactly one fatal line matching `message`, and no stack frame anywhere. */
function expectOneLine(result: { code: number | null; lines: string[] }, message: RegExp) {
  const fatal = result.lines.filter((line) => line.includes("FATAL"));
  expect({ code: result.code, fatal }, result.lines.join("\n")).toMatchObject({
    code: 1,
    fatal: [expect.stringMatching(message)],
  });
  expect(result.lines.filter((line) => /^\s+at /.test(line))).toEqual([]);
}

describe("a process that cannot start", () => {
  it("says DATA_DIR is a file", async () => {
    const file = join(scratch, "not-a-directory");
    writeFileSync(file, "");
    const results = await Promise.all(
      WITH_DATABASE.map((service) => startAndWait(service, { DATA_DIR: file, PORT: "0" })),
    );
    for (const result of results) {
      expectOneLine(result, new RegExp(`${file} is a file, not a directory: check DATA_DIR`));
    }
  });

  it("says a DATA_DIR cannot be created, where Node's own recursive mkdir would spin", async () => {
    expectOneLine(
      await startAndWait("orders", { DATA_DIR: "/proc/shop-startup/data", PORT: "0" }),
      /\/proc\/shop-startup cannot be created .*: check DATA_DIR/,
    );
  });

  it("names a database file that is not a database", async () => {
    const dir = mkdtempSync(join(scratch, "damaged-"));
    for (const service of WITH_DATABASE) {
      writeFileSync(join(dir, `${service}.db`), "not a database, only text\n".repeat(200));
    }
    const results = await Promise.all(
      WITH_DATABASE.map((service) => startAndWait(service, { DATA_DIR: dir, PORT: "0" })),
    );
    for (const [i, result] of results.entries()) {
      expectOneLine(
        result,
        new RegExp(`the database ${dir}/${WITH_DATABASE[i]}\\.db is not a database: move it away`),
      );
    }
  });

  it("says the SPA is not built", async () => {
    const empty = mkdtempSync(join(scratch, "no-spa-"));
    expectOneLine(
      await startAndWait("web", { STATIC_DIR: empty, PORT: "0" }),
      new RegExp(`No index.html in ${empty}: build the SPA first`),
    );
    expectOneLine(
      await startAndWait("web", { STATIC_DIR: join(empty, "missing"), PORT: "0" }),
      /No index.html in .*missing: build the SPA first/,
    );
  });

  describe("with a port in use", () => {
    let holder: Server;
    let port: number;
    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
      port = (holder.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it("says which port, for every process", async () => {
      const data = mkdtempSync(join(scratch, "data-"));
      const results = await Promise.all(
        SERVICES.map((service) => startAndWait(service, { DATA_DIR: data, PORT: String(port) })),
      );
      for (const result of results) {
        expectOneLine(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      }
    });
  });
});
