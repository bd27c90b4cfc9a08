import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SEAL_INFO = "shop-auth refresh successor v1";

/** A new opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** Whether a string can be one of our tokens at all (cheap filter before hashing). */
export function isRefreshTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** What the database keeps instead of the token: its SHA-256, base64url. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function sealKey(parentToken: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(parentToken, "base64url"), "", SEAL_INFO, 32));
}

/**
 * Encrypts the successor under a key derived from the parent's raw value
 * (HKDF-SHA256, AES-256-GCM): only a holder of the parent can read it back.
 */
export function sealSuccessor(parentToken: string, successorToken: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(parentToken), iv);
  const body = Buffer.concat([cipher.update(successorToken, "utf8"), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

/** The successor sealed by {@link sealSuccessor}, or null when it does not open. */
export function openSuccessor(parentToken: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, "base64url");
    if (raw.length < 12 + 16 + 1) return null;
    const decipher = createDecipheriv("aes-256-gcm", sealKey(parentToken), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(12, raw.length - 16)),
      decipher.final(),
    ]);
    return plain.toString("utf8");
  } catch {
    return null;
  }
}
