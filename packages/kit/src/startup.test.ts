import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { databaseFailure, dataDirFailure, ensureDirectory, StartupError } from "./startup.js";
import { tempDataDir } from "./testing/index.js";

let temp: ReturnType<typeof tempDataDir> | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

describe("ensureDirectory", () => {
  it("makes the missing parents, and accepts a directory that is there", () => {
    temp = tempDataDir("kit-dirs-");
    const deep = join(temp.dir, "a", "b", "c");
    ensureDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    ensureDirectory(deep);
    ensureDirectory(temp.dir);
  });

  it("refuses a file on the way, and says so as a start-up failure", () => {
    temp = tempDataDir("kit-dirs-");
    const file = join(temp.dir, "file");
    writeFileSync(file, "");
    const said = (dir: string) => {
      const failure = dataDirFailure(
        catching(() => ensureDirectory(dir)),
        dir,
      );
      expect(failure).toBeInstanceOf(StartupError);
      return (failure as Error).message;
    };
    expect(said(file)).toBe(`${file} is a file, not a directory: check DATA_DIR`);
    expect(said(join(file, "below"))).toBe(
      `${file}/below has a file, not a directory, on its way: check DATA_DIR`,
    );
  });

  it("gives up on a parent that exists but cannot hold it, where Node's recursive mkdir spins", () => {
    // Linux, as the whole suite: /proc exists and refuses new entries.
    const error = catching(() => ensureDirectory("/proc/shop-test/data"));
    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect((dataDirFailure(error, "/proc/shop-test/data") as Error).message).toMatch(
      /^\/proc\/shop-test cannot be created/,
    );
  });
});

describe("databaseFailure", () => {
  it("names the file, and only a lock is worth another try", () => {
    const locked = databaseFailure({ code: "SQLITE_BUSY_SNAPSHOT" }, "/data/users.db");
    const damaged = databaseFailure({ code: "SQLITE_NOTADB" }, "/data/users.db");
    expect(locked).toMatchObject({ retryable: true, message: expect.stringMatching(/locked/) });
    expect(damaged).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/^the database \/data\/users\.db is not a database/),
    });
    const other = new Error("no such table");
    expect(databaseFailure(other, "/data/users.db")).toBe(other);
  });
});

function catching(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
