import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEEDED, type Stack, startStack } from "./stack.js";

const ROTATE_CLI = fileURLToPath(new URL("../../../auth/src/cli/rotate-key.ts", import.meta.url));
const run = promisify(execFile);

let stack: Stack;
beforeAll(async () => {
  // In production the gateway's JWKS cooldown (30 s) is shorter than auth's
  // activation delay (60 s); the test keeps that order, scaled down.
  stack = await startStack(
    { jwksCooldownMs: 200 },
    { auth: { config: { keyActivationDelayS: 1 } } },
  );
});
afterAll(() => stack.close());

async function trpcLogin(): Promise<string> {
  const response = await fetch(`${stack.url}/trpc/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SEEDED.user1),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { data: { accessToken: string } } };
  return body.result.data.accessToken;
}

describe("signing key rotation", () => {
  it("serves every request while auth rotates its key", async () => {
    const before = await trpcLogin();
    const statuses: number[] = [];
    let current = before;
    let running = true;
    // Protected calls verified by the gateway, then by auth itself, all along.
    const traffic = (async () => {
      while (running) {
        const response = await fetch(`${stack.url}/trpc/auth/sessions`, {
          headers: { authorization: `Bearer ${current}` },
        });
        statuses.push(response.status);
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    await run(process.execPath, ["--import", "tsx", ROTATE_CLI], {
      env: {
        ...process.env,
        DATA_DIR: stack.auth.config.dataDir,
        KEY_ACTIVATION_DELAY_S: "1",
        LOG_LEVEL: "silent",
      },
    });
    // Running instances pick a rotation up within about a second (auth reloads
    // its keys lazily): the new key is published well before it signs.
    const publishedBy = Date.now() + 3_000;
    let published: unknown[] = [];
    while (published.length < 2 && Date.now() < publishedBy) {
      const jwks = await fetch(`${stack.url}/.well-known/jwks.json`);
      published = ((await jwks.json()) as { keys: unknown[] }).keys;
      if (published.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(published.length).toBe(2);

    // Past the activation delay and auth's key reload, logins sign with the new key.
    let after = before;
    const deadline = Date.now() + 10_000;
    while (decodeProtectedHeader(after).kid === decodeProtectedHeader(before).kid) {
      if (Date.now() > deadline) throw new Error("the new key never started signing");
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await trpcLogin();
    }
    current = after;
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await traffic;

    // The old key's tokens stay valid until they expire.
    const old = await fetch(`${stack.url}/trpc/auth/sessions`, {
      headers: { authorization: `Bearer ${before}` },
    });
    expect(old.status).toBe(200);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 30_000);
});
