import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "@shop/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStatuses, type Exchange, kidOf, login, request } from "./support/http.js";
import { runWorkers } from "./support/load.js";
import {
  dumpLogsOnFailure,
  type FaultStack,
  phase,
  SEEDED,
  startFaultStack,
} from "./support/stack.js";

// The operator rotates auth's signing key with its CLI while clients read
// through the gateway and keep logging in and refreshing. Claim: zero failed
// requests, before, during and after the new key starts signing, with tokens
// of the old key and of the new one.
//
// Why 4 s: a new key must be published longer than any verifier may refuse to
// refetch the key set (JWKS_COOLDOWN_MS, lowered to 1 s here for the gateway,
// users and orders alike). In production: 60 s against 30 s.

const FILE = "key-rotation";
const KEY_ACTIVATION_DELAY_S = 4;
/** Reads with tokens of the new key, after it starts signing, before the load stops. */
const NEW_KEY_SOAK_MS = 3_000;
const run = promisify(execFile);

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack({
    basePort: 7330,
    env: { KEY_ACTIVATION_DELAY_S: String(KEY_ACTIVATION_DELAY_S), JWKS_COOLDOWN_MS: "1000" },
  });
});
afterAll(async () => {
  await stack?.stop();
});

interface Read extends Exchange {
  kid: string;
  path: string;
}

describe("signing key rotation under load", () => {
  it("serves every request while auth rotates its key", async () => {
    dumpLogsOnFailure(stack);
    const gateway = stack.url.gateway;
    const first = await login(gateway, SEEDED.user1);
    const oldKid = kidOf(first.access);
    const jwks = async () =>
      (await request(`${gateway}/.well-known/jwks.json`)).body.keys.map(
        (k: { kid: string }) => k.kid,
      );
    expect(await jwks()).toEqual([oldKid]);

    let current = first;
    const reads: Read[] = [];
    const issues: Exchange[] = [];
    let newKeySignedAt = 0;
    const done = () => newKeySignedAt > 0 && Date.now() > newKeySignedAt + NEW_KEY_SOAK_MS;
    const maxMs = (KEY_ACTIVATION_DELAY_S + 20) * 1000;
    const paths = ["/gateway/users/profile", "/gateway/orders", "/trpc/auth/sessions"];

    phase(FILE, "load: readers through the gateway, logins and refreshes all along");
    const readers = runWorkers({
      workers: 3,
      maxMs,
      until: done,
      pauseMs: 25,
      step: async (worker, i) => {
        // Worker 0 keeps the very first token (old key) to the end; the others take the newest.
        const token = worker === 0 ? first.access : current.access;
        const path = paths[i % paths.length]!;
        reads.push({ ...(await request(`${gateway}${path}`, { token })), kid: kidOf(token), path });
      },
    });
    const issuer = runWorkers({
      workers: 1,
      maxMs,
      until: done,
      pauseMs: 400,
      step: async (_, i) => {
        // Alternate fresh logins and refreshes of the current session.
        const answer =
          i % 2 === 0
            ? await request(`${gateway}/gateway/auth/login`, { body: SEEDED.user1 })
            : await request(`${gateway}/gateway/auth/refresh`, {
                body: { refresh_token: current.refresh },
              });
        issues.push(answer);
        if (answer.status !== 200) return;
        current = { access: answer.body.access_token, refresh: answer.body.refresh_token };
        if (newKeySignedAt === 0 && kidOf(current.access) !== oldKid) {
          newKeySignedAt = Date.now();
          phase(FILE, "the new key signs; soaking");
        }
      },
    });

    // Let the load run on the old key for a moment, then rotate as an operator would.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rotatedAt = Date.now();
    await run(process.execPath, [join(REPO_ROOT, "apps/auth/dist/cli/rotate-key.js")], {
      cwd: join(REPO_ROOT, "apps/auth"),
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        DATA_DIR: stack.dataDir,
        KEY_ACTIVATION_DELAY_S: String(KEY_ACTIVATION_DELAY_S),
      },
      timeout: 20_000,
    });
    phase(FILE, `rotated with the CLI; the new key signs in ${KEY_ACTIVATION_DELAY_S} s`);
    // Published before it signs.
    let published: string[] = [];
    for (let i = 0; i < 50 && published.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      published = await jwks();
    }
    expect(published).toHaveLength(2);
    expect(published).toContain(oldKid);
    expect(kidOf(current.access)).toBe(oldKid);

    await Promise.all([readers, issuer]);
    const newKid = published.find((kid) => kid !== oldKid)!;
    phase(
      FILE,
      `reads ${JSON.stringify(countStatuses(reads))}, logins/refreshes ${JSON.stringify(countStatuses(issues))}`,
    );

    // The new key started signing, no earlier than announced.
    expect(newKeySignedAt).toBeGreaterThan(0);
    expect(newKeySignedAt - rotatedAt).toBeGreaterThanOrEqual(KEY_ACTIVATION_DELAY_S * 1000 - 1000);
    // Zero failed requests of any kind.
    const failed = [...reads, ...issues].filter((e) => e.status < 200 || e.status > 299);
    expect(failed.map((e) => ({ status: e.status, body: e.body }))).toEqual([]);
    // Both keys were exercised on every route after the switch.
    for (const path of paths) {
      const late = reads.filter((r) => r.path === path && r.startedAt > newKeySignedAt);
      expect(late.filter((r) => r.kid === newKid).length).toBeGreaterThan(3);
      expect(late.filter((r) => r.kid === oldKid).length).toBeGreaterThan(3);
    }
    // Logins and refreshes went on all along: while the old key signed, and after the switch.
    expect(issues.filter((e) => e.startedAt < newKeySignedAt).length).toBeGreaterThanOrEqual(3);
    expect(issues.filter((e) => e.startedAt > newKeySignedAt).length).toBeGreaterThanOrEqual(2);
    phase(FILE, "ok");
  });
});
