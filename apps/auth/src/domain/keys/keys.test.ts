import { generateKeyPairSync } from "node:crypto";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuthDb, openAuthDatabase } from "../../db/index.js";
import { parsePrivateKey } from "./key-material.js";
import { ensureSigningKey, retirementDelayMs, rotateSigningKey } from "./key-rotation.js";
import { KeyStore } from "./key-store.js";

const policy = { accessTokenTtlS: 900, keyActivationDelayS: 60 };
let db: AuthDb;
let cleanup: () => void;
beforeEach(async () => {
  const temp = tempDataDir("shop-auth-keys-");
  const database = await openAuthDatabase({ url: `file:${temp.dir}/auth.db` }, silentLogger);
  db = database.db;
  cleanup = () => {
    database.close();
    temp.cleanup();
  };
});
afterEach(() => cleanup());

function storeAt(
  clock: { now: number },
  envKey = null as Awaited<ReturnType<typeof parsePrivateKey>> | null,
) {
  return new KeyStore({
    db,
    log: silentLogger,
    reloadIntervalMs: 0,
    retirementDelayMs: retirementDelayMs(policy),
    envKey,
    now: () => clock.now,
  });
}
const kids = async (store: KeyStore) => (await store.publicKeys()).keys.map((k) => k.kid);

describe("signing keys", () => {
  it("are generated on first start, persisted, and not regenerated", async () => {
    const first = await ensureSigningKey(db, policy);
    expect(first.generatedKid).toEqual(expect.any(String));
    const second = await ensureSigningKey(db, policy);
    expect(second.generatedKid).toBeNull();
    const clock = { now: Date.now() };
    expect((await storeAt(clock).signingKey()).kid).toBe(first.generatedKid);
  });

  it("rotate: the new key is published first, signs after the delay, the old one stays until its tokens expire", async () => {
    const t0 = 1_800_000_000_000;
    const { generatedKid: oldKid } = await ensureSigningKey(db, policy, t0);
    const rotated = await rotateSigningKey(db, policy, t0 + 1000);
    expect(rotated.retiring).toEqual([oldKid]);
    const clock = { now: t0 + 1000 };
    const store = storeAt(clock);
    expect(await kids(store)).toEqual([rotated.kid, oldKid]);
    expect((await store.signingKey()).kid).toBe(oldKid);

    clock.now = rotated.activatesAt;
    expect((await store.signingKey()).kid).toBe(rotated.kid);
    expect(await kids(store)).toContain(oldKid);

    // Published until the last token the old key signed (at activation) has expired, plus leeway.
    expect(rotated.retiresAt - rotated.activatesAt).toBe(retirementDelayMs(policy));
    expect(retirementDelayMs(policy)).toBeGreaterThan(900_000);
    clock.now = rotated.retiresAt - 1;
    expect(await kids(store)).toContain(oldKid);
    clock.now = rotated.retiresAt;
    expect(await kids(store)).toEqual([rotated.kid]);
  });

  it("are picked up by a running store after a rotation elsewhere", async () => {
    await ensureSigningKey(db, policy);
    const clock = { now: Date.now() };
    const store = storeAt(clock);
    const before = await kids(store);
    const rotated = await rotateSigningKey(db, { ...policy, keyActivationDelayS: 0 });
    clock.now = Date.now() + 1;
    expect(await kids(store)).toEqual([rotated.kid, ...before]);
    expect((await store.signingKey()).kid).toBe(rotated.kid);
  });

  it("rotated in before the first start sign at once, and are not replaced at start", async () => {
    const rotated = await rotateSigningKey(db, policy, 1_800_000_000_000);
    expect(rotated.activatesAt).toBe(1_800_000_000_000);
    const started = await ensureSigningKey(db, policy, 1_800_000_000_500);
    expect(started.generatedKid).toBeNull();
  });

  it("lose their private half once retired", async () => {
    const t0 = 1_800_000_000_000;
    await ensureSigningKey(db, policy, t0);
    const rotated = await rotateSigningKey(db, policy, t0);
    await ensureSigningKey(db, policy, rotated.retiresAt + 1);
    const rows = await db.query.signingKeys.findMany();
    expect(rows.filter((r) => r.privateJwk !== null).map((r) => r.kid)).toEqual([rotated.kid]);
  });

  it("come from AUTH_PRIVATE_KEY when set (PEM or JWK): it signs, nothing private is stored", async () => {
    const { generatedKid } = await ensureSigningKey(db, policy);
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const jwk = JSON.stringify(privateKey.export({ format: "jwk" }));
    const fromPem = await parsePrivateKey(pem);
    expect((await parsePrivateKey(jwk)).kid).toBe(fromPem.kid);

    const envPolicy = { ...policy, privateKey: pem };
    const { envKey } = await ensureSigningKey(db, envPolicy);
    const clock = { now: Date.now() };
    const store = storeAt(clock, envKey);
    expect((await store.signingKey()).kid).toBe(fromPem.kid);
    // The generated key stays published until its tokens have expired.
    expect(await kids(store)).toEqual(expect.arrayContaining([fromPem.kid, generatedKid]));
    const rows = await db.query.signingKeys.findMany();
    expect(rows.find((r) => r.kid === fromPem.kid)!.privateJwk).toBeNull();
    expect(JSON.stringify(rows)).not.toContain(JSON.parse(jwk).d);
    await expect(rotateSigningKey(db, envPolicy)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuse an AUTH_PRIVATE_KEY that is not Ed25519, without echoing it", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const bad of [pem, "not a key", '{"kty":"oct","k":"c2VjcmV0"}']) {
      const error = await parsePrivateKey(bad).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain(bad.slice(0, 20));
    }
  });
});
