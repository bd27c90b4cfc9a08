import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { createTestIssuer, type TestIssuer } from "@shop/auth-kit/testing";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { configFromEnv, envSchema } from "../env.js";
import { startUsersForTest } from "../testing.js";

const APP_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());

async function usernamesIn(dir: string): Promise<Array<[number, string]>> {
  const client = createClient({ url: `file:${dir}/users.db` });
  try {
    const result = await client.execute("select id, username from users order by id");
    return result.rows.map((row) => [Number(row.id), String(row.username)]);
  } finally {
    client.close();
  }
}

const SEEDED = [
  [1, "admin"],
  [2, "user1"],
  [3, "maxim"],
];

function configFor(dir: string, env: Record<string, string> = {}) {
  return configFromEnv(
    envSchema.parse({ DATA_DIR: dir, BCRYPT_COST: "4", JWT_ISSUER: issuer.issuer, ...env }),
  );
}

describe("seeding", () => {
  it("seeds once when two instances start at once on one database", async () => {
    const data = tempDataDir();
    try {
      const apps = await Promise.all([
        createApp(configFor(data.dir), silentLogger),
        createApp(configFor(data.dir), silentLogger),
      ]);
      await Promise.all(apps.map((app) => app.close()));
      expect(await usernamesIn(data.dir)).toEqual(SEEDED);
    } finally {
      data.cleanup();
    }
  });

  it("never seeds a table that has accounts, even after the demo users are gone", async () => {
    const data = tempDataDir();
    try {
      const first = await startUsersForTest({ ...issuer, dataDir: data.dir });
      await first.close();
      const client = createClient({ url: `file:${data.dir}/users.db` });
      await client.execute("delete from users where id <> 1");
      client.close();
      const second = await startUsersForTest({ ...issuer, dataDir: data.dir });
      await second.close();
      expect(await usernamesIn(data.dir)).toEqual([[1, "admin"]]);
    } finally {
      data.cleanup();
    }
  });

  it("seeds nothing with SEED_DEMO_USERS=false", async () => {
    const data = tempDataDir();
    try {
      const app = await createApp(configFor(data.dir, { SEED_DEMO_USERS: "false" }), silentLogger);
      await app.close();
      expect(await usernamesIn(data.dir)).toEqual([]);
    } finally {
      data.cleanup();
    }
  });
});

function startProcess(dataDir: string): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: "0",
      DATA_DIR: dataDir,
      BCRYPT_COST: "4",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      AUTH_SERVICE_URL: issuer.jwksUrl.replace("/.well-known/jwks.json", ""),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+)"/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`users exited with ${code}`)));
  });
  return { child, ready };
}

describe("two processes", () => {
  it("start at once on one file: both serve, migrations and seed apply once", async () => {
    const data = tempDataDir();
    const processes = [startProcess(data.dir), startProcess(data.dir)];
    try {
      const urls = await Promise.all(processes.map((p) => p.ready));
      for (const url of urls) {
        const health = await fetch(`${url}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: "healthy", service: "users" });
      }
      expect(await usernamesIn(data.dir)).toEqual(SEEDED);
    } finally {
      await Promise.all(
        processes.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
      );
      data.cleanup();
    }
  }, 30_000);
});
