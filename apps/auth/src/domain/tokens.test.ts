import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuthDatabase } from "../db/index.js";
import { ensureSigningKey, KeyStore } from "./keys/index.js";
import { ServiceTokenSource } from "./tokens.js";

const temp = tempDataDir("shop-auth-tokens-");
let keys: KeyStore;
let close: () => void;
beforeAll(async () => {
  const database = await openAuthDatabase({ url: `file:${temp.dir}/auth.db` }, silentLogger);
  close = database.close;
  await ensureSigningKey(database.db, { accessTokenTtlS: 900, keyActivationDelayS: 60 });
  keys = new KeyStore({
    db: database.db,
    log: silentLogger,
    reloadIntervalMs: 1000,
    retirementDelayMs: 0,
    envKey: null,
  });
});
afterAll(() => {
  close();
  temp.cleanup();
});

describe("ServiceTokenSource", () => {
  it("signs a 60 s svc+jwt for the users service's internal API", async () => {
    const token = await new ServiceTokenSource(keys, "shop:auth").token();
    const { kid } = await keys.signingKey();
    expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", typ: "svc+jwt", kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: "shop:auth", aud: "shop:users:internal", sub: "auth" });
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims).not.toHaveProperty("role");
  });

  it("reuses its token until about 10 s before expiry", async () => {
    const clock = { now: Date.now() };
    const source = new ServiceTokenSource(keys, "shop:auth", () => clock.now);
    const first = await source.token();
    clock.now += 45_000;
    expect(await source.token()).toBe(first);
    clock.now += 6_000;
    expect(await source.token()).not.toBe(first);
  });
});
