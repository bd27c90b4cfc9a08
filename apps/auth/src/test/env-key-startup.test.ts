import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tempDataDir } from "@shop/kit/testing";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const APP_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const data = tempDataDir("shop-auth-bad-key-");
afterAll(() => data.cleanup());

const MARKER = "SECRETMARKER7f3a";

/** Starts auth's src/index.ts with `key` as AUTH_PRIVATE_KEY; resolves with its exit code and output. */
async function startWith(key: string) {
  try {
    await run(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: APP_ROOT,
      env: {
        ...process.env,
        NODE_ENV: "test",
        PORT: "0",
        DATA_DIR: data.dir,
        LOG_FORMAT: "json",
        // The most the service ever prints: causes are logged at debug.
        LOG_LEVEL: "trace",
        AUTH_PRIVATE_KEY: key,
      },
      timeout: 15_000,
    });
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: `${stdout}\n${stderr}` };
  }
  throw new Error("auth started with a malformed AUTH_PRIVATE_KEY");
}

describe("a malformed AUTH_PRIVATE_KEY", () => {
  it.each([
    ["broken JSON", `{"kty":"OKP","crv":"Ed25519","d":"${MARKER}`],
    // JSON.parse quotes the text around an unexpected token in its message.
    ["JSON with a bare word", `{"d": ${MARKER}}`],
    ["a JWK that is not Ed25519", `{"kty":"oct","k":"${MARKER}"}`],
    ["a JWK without its private part", `{"kty":"OKP","crv":"Ed25519","x":"${MARKER}"}`],
    ["a broken PEM", `-----BEGIN PRIVATE KEY-----\n${MARKER}\n-----END PRIVATE KEY-----`],
    ["text", `not a key ${MARKER}`],
  ])("(%s) stops start-up with a fixed reason, never echoing the key", async (_name, key) => {
    const { code, output } = await startWith(key);
    expect(code).toBe(1);
    expect(output).toContain("AUTH_PRIVATE_KEY is not a valid Ed25519 private key");
    expect(output).not.toContain(MARKER);
    expect(output).not.toContain("SECRETMARKER");
  });
});

describe("an AUTH_PRIVATE_KEY whose x is another key's", () => {
  it("stops start-up with a fixed reason, never echoing either half", async () => {
    const a = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    const b = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    const { code, output } = await startWith(
      JSON.stringify({ kty: "OKP", crv: "Ed25519", x: b.x, d: a.d }),
    );
    expect(code).toBe(1);
    expect(output).toContain(
      "AUTH_PRIVATE_KEY's public part (x) does not belong to its private part",
    );
    for (const part of [a.d!, a.x!, b.x!]) expect(output).not.toContain(part);
  });
});
