import { CLOCK_TOLERANCE_S } from "@shop/auth-kit";
import { silentLogger } from "@shop/kit/testing";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signingKeys } from "../../db/schema.js";
import { useTempAuthDatabase } from "../../test/temp-database.js";
import { ensureSigningKey, retirementDelayMs, rotateSigningKey } from "./key-rotation.js";
import { KeyStore } from "./key-store.js";

const policy = { accessTokenTtlS: 900, keyActivationDelayS: 60 };
const t0 = 1_800_000_000_000;
const STEP_MS = 5_000;
const database = useTempAuthDatabase("shop-auth-rotation-");

type Event = "rotate" | "restart";

/**
 * Walks the clock in steps from a first start, applying `events` at their
 * times. At every step a token is signed with the current key, and the JWKS of
 * that moment must hold the signer, must have held it for the activation delay
 * before it first signed (the very first key excepted), and must verify every
 * token signed so far that has not expired.
 */
async function walk(events: Array<[number, Event]>, untilMs: number) {
  const db = database();
  await db.delete(signingKeys);
  const clock = { now: t0 };
  const newStore = () =>
    new KeyStore({
      db,
      log: silentLogger,
      reloadIntervalMs: 0,
      retirementDelayMs: retirementDelayMs(policy),
      envKey: null,
      now: () => clock.now,
    });
  await ensureSigningKey(db, policy, clock.now);
  let store = newStore();
  const firstPublished = new Map<string, number>();
  const firstSigned = new Map<string, number>();
  // Per key, its last token: the one that lives longest (the same key verifies the others).
  const tokens = new Map<string, { token: string; kid: string; exp: number }>();
  const pending = [...events].sort((a, b) => a[0] - b[0]);
  for (; clock.now <= t0 + untilMs; clock.now += STEP_MS) {
    while (pending.length > 0 && pending[0]![0] <= clock.now - t0) {
      const [, event] = pending.shift()!;
      if (event === "rotate") await rotateSigningKey(db, policy, clock.now);
      else {
        await ensureSigningKey(db, policy, clock.now);
        store = newStore();
      }
    }
    const jwks = await store.publicKeys();
    const published = jwks.keys.map((key) => key.kid!);
    for (const kid of published) if (!firstPublished.has(kid)) firstPublished.set(kid, clock.now);

    const signer = await store.signingKey();
    if (!firstSigned.has(signer.kid)) firstSigned.set(signer.kid, clock.now);
    const at = `at +${(clock.now - t0) / 1000}s`;
    expect(published, `signer published ${at}`).toContain(signer.kid);
    if (firstSigned.size > 1) {
      expect(
        firstSigned.get(signer.kid)! - firstPublished.get(signer.kid)!,
        `${signer.kid} published for the activation delay before signing ${at}`,
      ).toBeGreaterThanOrEqual(policy.keyActivationDelayS * 1000 - STEP_MS);
    }
    const iat = Math.floor(clock.now / 1000);
    const exp = iat + policy.accessTokenTtlS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: signer.kid })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(signer.key);
    tokens.set(signer.kid, { token, kid: signer.kid, exp });

    const verify = createLocalJWKSet(jwks);
    for (const t of tokens.values()) {
      if (t.exp + CLOCK_TOLERANCE_S <= clock.now / 1000) continue;
      expect(published, `${t.kid} (signed a live token) still published ${at}`).toContain(t.kid);
      await jwtVerify(t.token, verify, {
        currentDate: new Date(clock.now),
        clockTolerance: CLOCK_TOLERANCE_S,
      });
    }
  }
  return { signers: [...firstSigned.keys()] };
}

const beyondRetirement = (policy.keyActivationDelayS + 2 * policy.accessTokenTtlS + 300) * 1000;

const scenarios: Array<[string, Array<[number, Event]>, number]> = [
  ["one rotation", [[10_000, "rotate"]], 2],
  // Each key signs in turn: the second waits for the third's window, not the other way.
  [
    "two rotations inside one activation window",
    [
      [10_000, "rotate"],
      [20_000, "rotate"],
    ],
    3,
  ],
  [
    "a restart inside the activation window",
    [
      [10_000, "rotate"],
      [30_000, "restart"],
    ],
    2,
  ],
  [
    "rotations and restarts interleaved, also once the first has activated",
    [
      [10_000, "rotate"],
      [15_000, "restart"],
      [25_000, "rotate"],
      [40_000, "restart"],
      [90_000, "rotate"],
      [95_000, "rotate"],
      [100_000, "restart"],
    ],
    5,
  ],
];

describe("key rotation keeps the JWKS ahead of signing", () => {
  it.each(scenarios)("%s", async (_name, events, signerCount) => {
    const { signers } = await walk(events, beyondRetirement);
    expect(signers).toHaveLength(signerCount);
  });
});
