import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessVerifier } from "./access.js";
import { AUDIENCE } from "./constants.js";
import { createRemoteKeySet } from "./jwks.js";
import { createTestIssuer, type TestIssuer } from "./testing/test-issuer.js";

// A key set fetched from several replicas of the issuer: one down or hung
// must not stop key refreshes, and with all of them down the last good set
// stands in for a while.

let issuer: TestIssuer;
let hanging: Server;
let hangingUrl: string;
let deadUrl: string;
beforeAll(async () => {
  issuer = await createTestIssuer();
  hanging = createServer(() => {});
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/.well-known/jwks.json`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/.well-known/jwks.json`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await issuer.close();
});

const verify = async (keys: ReturnType<typeof createRemoteKeySet>) =>
  createAccessVerifier({ keys, issuer: issuer.issuer, audience: AUDIENCE.orders }).verify(
    await issuer.mintAccess({ sub: "7", username: "maxim" }),
  );

describe("a key set behind several replicas", () => {
  it("is fetched from the next replica when one refuses connections", async () => {
    const keys = createRemoteKeySet([deadUrl, issuer.jwksUrl]);
    await expect(verify(keys)).resolves.toMatchObject({ id: 7 });
  });

  it("is fetched from the next replica when one hangs, after that one's timeout", async () => {
    const keys = createRemoteKeySet([hangingUrl, issuer.jwksUrl], { timeoutMs: 200 });
    await expect(verify(keys)).resolves.toMatchObject({ id: 7 });
  });

  it("falls back to the last good set, and says so, when every replica is down", async () => {
    let stale = 0;
    const keys = createRemoteKeySet([deadUrl, hangingUrl, issuer.jwksUrl], {
      timeoutMs: 100,
      cacheMaxAgeMs: 0,
      cooldownMs: 0,
      onStale: () => stale++,
    });
    await expect(verify(keys)).resolves.toMatchObject({ id: 7 });
    expect(stale).toBe(0);
    // Every replica down from now on: the issuer's server stops answering.
    await issuer.close();
    await expect(verify(keys)).resolves.toMatchObject({ id: 7 });
    expect(stale).toBeGreaterThan(0);
    issuer = await createTestIssuer();
  });
});
