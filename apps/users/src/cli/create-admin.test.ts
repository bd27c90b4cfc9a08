import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { tempDataDir } from "@shop/kit/testing";
import { afterAll, describe, expect, it } from "vitest";

const APP_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const data = tempDataDir();
afterAll(() => data.cleanup());

function run(args: string[], stdin: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/create-admin.ts", ...args], {
    cwd: APP_ROOT,
    env: { ...process.env, DATA_DIR: data.dir, SEED_DEMO_USERS: "false", BCRYPT_COST: "4" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  child.stderr.on("data", (chunk) => (out += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out })));
}

describe("create-admin", () => {
  it("creates an admin from a username and a password on stdin, once", async () => {
    const first = await run(["root", "root@example.com"], "a-strong-passphrase\n");
    expect(first.out).toContain("created admin root (id 1)");
    expect(first.code).toBe(0);
    const client = createClient({ url: `file:${data.dir}/users.db` });
    const rows = await client.execute("select username, email, role from users");
    client.close();
    expect(rows.rows.map((r) => [r.username, r.email, r.role])).toEqual([
      ["root", "root@example.com", "admin"],
    ]);
    const again = await run(["ROOT"], "a-strong-passphrase\n");
    expect(again.code).toBe(1);
    expect(again.out).toContain("Username already taken");
  }, 20_000);

  it("refuses a weak password or a bad username", async () => {
    const [weak, same, bad] = await Promise.all([
      run(["boss"], "short\n"),
      run(["bossboss"], "BOSSboss"),
      run(["x y"], "a-strong-passphrase"),
    ]);
    expect([weak.code, weak.out]).toEqual([1, expect.stringContaining("8..128")]);
    expect([same.code, same.out]).toEqual([1, expect.stringContaining("must not be the username")]);
    expect([bad.code, bad.out]).toEqual([1, expect.stringContaining("usage")]);
  }, 20_000);
});
