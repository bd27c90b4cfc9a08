import { AppError, type Logger } from "@shop/kit";
import { gt, isNull, or } from "drizzle-orm";
import {
  type CryptoKey,
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import type { AuthDb } from "../../db/index.js";
import { signingKeys } from "../../db/schema.js";
import type { KeyMaterial } from "./key-material.js";

/** The key that signs now. */
export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

interface KeyRow {
  kid: string;
  publicJwk: Record<string, string>;
  activatesAt: number;
  retiresAt: number | null;
  hasPrivate: boolean;
}

export interface KeyStoreOptions {
  db: AuthDb;
  log: Logger;
  /** Re-read the key table at most this often. */
  reloadIntervalMs: number;
  /** How long a key stays published after its successor activates (key-rotation's retirementDelayMs). */
  retirementDelayMs: number;
  /** AUTH_PRIVATE_KEY, when set: it alone signs. */
  envKey: KeyMaterial | null;
  now?: () => number;
}

/**
 * Auth's view of its signing keys, re-read from the database at most about once
 * a second (on demand, never on a timer), so a rotation by the CLI or another
 * instance is picked up without a restart. Which key signs, and which are
 * published, is decided at each use from the rows' times.
 */
export class KeyStore {
  readonly #options: KeyStoreOptions;
  readonly #now: () => number;
  #rows: KeyRow[] = [];
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | null = null;
  readonly #privateKeys = new Map<string, CryptoKey>();
  #envSigner: SigningKey | null = null;
  #localKeys: { fingerprint: string; get: JWTVerifyGetKey } | null = null;

  constructor(options: KeyStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async #load(): Promise<void> {
    const now = this.#now();
    const rows = await this.#options.db
      .select()
      .from(signingKeys)
      .where(or(isNull(signingKeys.retiresAt), gt(signingKeys.retiresAt, now)));
    for (const row of rows) {
      if (row.privateJwk && !this.#privateKeys.has(row.kid)) {
        this.#privateKeys.set(row.kid, (await importJWK(row.privateJwk, "EdDSA")) as CryptoKey);
      }
    }
    const envKey = this.#options.envKey;
    if (envKey && !this.#envSigner) {
      const key = (await importJWK(envKey.privateJwk, "EdDSA")) as CryptoKey;
      this.#envSigner = { kid: envKey.kid, key };
    }
    this.#rows = rows.map((row) => ({
      kid: row.kid,
      publicJwk: row.publicJwk,
      activatesAt: row.activatesAt,
      retiresAt: row.retiresAt,
      hasPrivate: row.privateJwk !== null,
    }));
    this.#loadedAt = now;
  }

  /** Reloads when the last load is older than the interval; one load at a time. */
  async #fresh(): Promise<void> {
    if (this.#now() - this.#loadedAt < this.#options.reloadIntervalMs) return;
    this.#loading ??= this.#load()
      .catch((error) => {
        // Keep serving the keys we have; fail only when we have none.
        this.#options.log.error({ err: error }, "reloading signing keys failed");
        if (this.#loadedAt === Number.NEGATIVE_INFINITY) throw error;
      })
      .finally(() => {
        this.#loading = null;
      });
    await this.#loading;
  }

  /** Forgets the reload time, so the next use reads the table (after a rotation in-process). */
  invalidate(): void {
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * The newest active key that still has its private half (or the env key). A
   * retiring key signs only until its successor activates, so every token it
   * signs expires before it leaves the JWKS.
   */
  async signingKey(): Promise<SigningKey> {
    await this.#fresh();
    if (this.#envSigner) return this.#envSigner;
    const now = this.#now();
    const signsUntil = (row: KeyRow) =>
      row.retiresAt === null
        ? Number.POSITIVE_INFINITY
        : row.retiresAt - this.#options.retirementDelayMs;
    let best: KeyRow | null = null;
    for (const row of this.#rows) {
      if (!row.hasPrivate || row.activatesAt > now || signsUntil(row) <= now) continue;
      if (!best || row.activatesAt > best.activatesAt) best = row;
    }
    const key = best && this.#privateKeys.get(best.kid);
    if (!best || !key) throw new AppError("INTERNAL_SERVER_ERROR", "No signing key available");
    return { kid: best.kid, key };
  }

  /** Every key not yet retired, including ones about to start signing. */
  async publicKeys(): Promise<JSONWebKeySet> {
    await this.#fresh();
    const now = this.#now();
    const keys: JWK[] = this.#rows
      .filter((row) => row.retiresAt === null || row.retiresAt > now)
      .sort((a, b) => b.activatesAt - a.activatesAt)
      .map((row) => ({ ...row.publicJwk }));
    const envKey = this.#options.envKey;
    if (envKey && !keys.some((key) => key.kid === envKey.kid)) keys.unshift(envKey.publicJwk);
    return { keys };
  }

  /** A jose key resolver over the published keys, for auth's own verifier. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const jwks = await this.publicKeys();
    const fingerprint = jwks.keys.map((key) => key.kid).join(",");
    if (this.#localKeys?.fingerprint !== fingerprint) {
      this.#localKeys = { fingerprint, get: createLocalJWKSet(jwks) };
    }
    return this.#localKeys.get(header, token);
  };
}
