import { CLOCK_TOLERANCE_S, SERVICE_TOKEN_TTL_S } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import { and, gt, isNotNull, isNull, lte, max, ne, or } from "drizzle-orm";
import type { AuthDb } from "../../db/index.js";
import { signingKeys } from "../../db/schema.js";
import { generateKeyMaterial, type KeyMaterial, parsePrivateKey } from "./key-material.js";

/** What key management needs from the config. */
export interface KeyPolicy {
  accessTokenTtlS: number;
  keyActivationDelayS: number;
  privateKey?: string;
}

/**
 * How long a key stays published after its successor starts signing: the
 * longest-lived token it signed, plus clock leeway, plus a margin for every
 * process's key reload.
 */
export function retirementDelayMs(policy: KeyPolicy): number {
  return (Math.max(policy.accessTokenTtlS, SERVICE_TOKEN_TTL_S) + CLOCK_TOLERANCE_S + 60) * 1000;
}

type Tx = Parameters<Parameters<AuthDb["transaction"]>[0]>[0];

/**
 * Marks keys still in service (activated by `activatedBy`) as retiring once
 * `successorActivatesAt` has passed.
 */
async function retireOthers(
  tx: Tx,
  keepKid: string,
  successorActivatesAt: number,
  policy: KeyPolicy,
  activatedBy = Number.MAX_SAFE_INTEGER,
) {
  return tx
    .update(signingKeys)
    .set({ retiresAt: successorActivatesAt + retirementDelayMs(policy) })
    .where(
      and(
        ne(signingKeys.kid, keepKid),
        isNull(signingKeys.retiresAt),
        lte(signingKeys.activatesAt, activatedBy),
      ),
    )
    .returning({ kid: signingKeys.kid });
}

/**
 * Whether some stored key can sign right now: activated, with its private half,
 * and not retiring, or retiring but its successor not yet signing (a key retires
 * {@link retirementDelayMs} after its successor activates). A key whose successor
 * is still in its activation window counts: it signs until then.
 */
async function hasActiveKey(tx: Tx, policy: KeyPolicy, now: number): Promise<boolean> {
  const rows = await tx
    .select({ kid: signingKeys.kid })
    .from(signingKeys)
    .where(
      and(
        isNotNull(signingKeys.privateJwk),
        lte(signingKeys.activatesAt, now),
        or(
          isNull(signingKeys.retiresAt),
          gt(signingKeys.retiresAt, now + retirementDelayMs(policy)),
        ),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The latest activation time of any stored key, or null with none. */
async function latestActivation(tx: Tx): Promise<number | null> {
  const [row] = await tx.select({ latest: max(signingKeys.activatesAt) }).from(signingKeys);
  return row?.latest ?? null;
}

async function insertKey(tx: Tx, material: KeyMaterial, now: number, activatesAt: number) {
  await tx.insert(signingKeys).values({
    kid: material.kid,
    publicJwk: material.publicJwk,
    privateJwk: material.privateJwk,
    createdAt: now,
    activatesAt,
  });
}

/** Records only the public half of the env key; it may come back after a retirement. */
async function recordEnvKey(tx: Tx, material: KeyMaterial, now: number) {
  await tx
    .insert(signingKeys)
    .values({ kid: material.kid, publicJwk: material.publicJwk, createdAt: now, activatesAt: now })
    .onConflictDoUpdate({ target: signingKeys.kid, set: { retiresAt: null } });
}

/**
 * Start-up: wipes the private halves of retired keys, then makes sure a key can
 * sign. With AUTH_PRIVATE_KEY, its public half is recorded (so it stays published
 * after the env changes) and every other key retires. Otherwise, a key is
 * generated when none can sign now (first start), active at once. The write
 * transaction keeps two instances starting together from both generating one.
 * Returns the env key's material, if any.
 */
export async function ensureSigningKey(db: AuthDb, policy: KeyPolicy, now = Date.now()) {
  const envKey = policy.privateKey ? await parsePrivateKey(policy.privateKey) : null;
  const generated = envKey ? null : await generateKeyMaterial();
  return db.transaction(async (tx) => {
    await tx
      .update(signingKeys)
      .set({ privateJwk: null })
      .where(and(isNotNull(signingKeys.privateJwk), lte(signingKeys.retiresAt, now)));
    if (envKey) {
      await recordEnvKey(tx, envKey, now);
      await retireOthers(tx, envKey.kid, now, policy);
      return { envKey, generatedKid: null };
    }
    if ((await hasActiveKey(tx, policy, now)) || !generated) {
      return { envKey: null, generatedKid: null };
    }
    await insertKey(tx, generated, now, now);
    // A key rotated in before the first start stays pending; anything older retires.
    await retireOthers(tx, generated.kid, now, policy, now);
    return { envKey: null, generatedKid: generated.kid };
  });
}

/**
 * Adds a key that starts signing after KEY_ACTIVATION_DELAY_S (so verifiers see
 * it in the JWKS first), and after every key already stored: activations stay in
 * creation order, so each key signs until the next one activates, also when two
 * rotations fall in one window. Every key activating before it retires once the
 * new key has signed for a full token lifetime; a key already retiring keeps its
 * earlier time (its own successor activates first).
 */
export async function rotateSigningKey(db: AuthDb, policy: KeyPolicy, now = Date.now()) {
  if (policy.privateKey) {
    throw new AppError(
      "CONFLICT",
      "AUTH_PRIVATE_KEY is set: rotate by deploying a new AUTH_PRIVATE_KEY instead",
    );
  }
  const material = await generateKeyMaterial();
  return db.transaction(async (tx) => {
    // With no key signing yet, there is nothing to wait for: the new key starts at once.
    const latest = await latestActivation(tx);
    const activatesAt = (await hasActiveKey(tx, policy, now))
      ? Math.max(now + policy.keyActivationDelayS * 1000, (latest ?? 0) + 1)
      : now;
    const retiring = await retireOthers(tx, material.kid, activatesAt, policy, activatesAt);
    await insertKey(tx, material, now, activatesAt);
    return {
      kid: material.kid,
      activatesAt,
      retiring: retiring.map((r) => r.kid),
      retiresAt: activatesAt + retirementDelayMs(policy),
    };
  });
}
