import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tempDataDir } from "@shop/kit/testing";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SEEDED, startHarness } from "../test/harness.js";

const run = promisify(execFile);
const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
const data = tempDataDir("shop-auth-rotate-");
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ dataDir: data.dir, config: { keyReloadIntervalMs: 50 } });
});
afterAll(async () => {
  await h.close();
  data.cleanup();
});

/** Runs the rotation command as an operator would, against the running service's database. */
async function rotateWithCli() {
  await run(process.execPath, ["--import", "tsx", "src/cli/rotate-key.ts"], {
    cwd: APP_DIR,
    env: { ...process.env, DATA_DIR: data.dir, LOG_LEVEL: "silent" },
  });
}

/** Ends the pending key's activation window now, as the clock would a minute later. */
async function activatePendingKey() {
  const now = Date.now();
  await h.sql.execute({
    sql: "update signing_keys set activates_at = ? where activates_at > ?",
    args: [now, now],
  });
}

const reload = () => new Promise((resolve) => setTimeout(resolve, 120)); // > one reload interval
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
async function publishedKids() {
  const body = (await (await fetch(h.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
  return body.keys.map((key) => key.kid);
}

describe("rotate-key", () => {
  it("publishes a new key before it signs; the running service picks it up without restart", {
    timeout: 20_000,
  }, async () => {
    const before = await h.login(SEEDED.user1);
    const oldKid = kidOf(before.accessToken);
    expect(await publishedKids()).toEqual([oldKid]);

    await rotateWithCli();
    await reload();
    const published = await publishedKids();
    expect(published).toHaveLength(2);
    expect(published).toContain(oldKid);
    // Not signing yet: verifiers get a full minute to see it.
    expect(kidOf((await h.login(SEEDED.user1)).accessToken)).toBe(oldKid);

    await activatePendingKey();
    await reload();
    const after = await h.login(SEEDED.user1);
    const newKid = kidOf(after.accessToken);
    expect(newKid).not.toBe(oldKid);
    expect(await publishedKids()).toEqual(expect.arrayContaining([oldKid, newKid]));

    // Tokens signed by the previous key keep working until they expire.
    await expect(h.as(before.accessToken).sessions.query()).resolves.toHaveProperty("sessions");
    await expect(h.as(after.accessToken).sessions.query()).resolves.toHaveProperty("sessions");
  });
});
