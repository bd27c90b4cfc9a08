import { createPrivateKey, createPublicKey } from "node:crypto";
import { AppError, StartupError } from "@shop/kit";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";

/** An Ed25519 key pair as JWKs, named by its RFC 7638 thumbprint. */
export interface KeyMaterial {
  kid: string;
  /** What the JWKS publishes: kty, crv, x, kid, alg, use. */
  publicJwk: Record<string, string>;
  privateJwk: Record<string, string>;
}

async function fromPrivateJwk(jwk: JWK): Promise<KeyMaterial> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x || !jwk.d) {
    throw new AppError("INTERNAL_SERVER_ERROR", "Signing key must be an Ed25519 private key");
  }
  const core = { kty: "OKP", crv: "Ed25519", x: jwk.x };
  const kid = await calculateJwkThumbprint(core, "sha256");
  return {
    kid,
    publicJwk: { ...core, kid, alg: "EdDSA", use: "sig" },
    privateJwk: { ...core, d: jwk.d },
  };
}

/** A fresh Ed25519 key pair. */
export async function generateKeyMaterial(): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return fromPrivateJwk(await exportJWK(privateKey));
}

const NOT_A_KEY =
  "AUTH_PRIVATE_KEY is not a valid Ed25519 private key: give a PKCS8 PEM or a private JWK (OKP, Ed25519, with d)";

const WRONG_PUBLIC_HALF =
  "AUTH_PRIVATE_KEY's public part (x) does not belong to its private part (d): give the key pair's own x, or a PKCS8 PEM";

/** The public x that `d` derives (node ignores a JWK's x when it imports one). */
function derivedX(privateJwk: Record<string, string>): string | undefined {
  const key = createPrivateKey({ key: privateJwk, format: "jwk" });
  return createPublicKey(key).export({ format: "jwk" }).x;
}

function readPrivateJwk(trimmed: string): JWK {
  if (trimmed.startsWith("{")) return JSON.parse(trimmed) as JWK;
  const key = createPrivateKey({ key: trimmed.replace(/\\n/g, "\n"), format: "pem" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error("not Ed25519");
  return key.export({ format: "jwk" }) as JWK;
}

/**
 * Reads AUTH_PRIVATE_KEY: a PKCS8 PEM or a private JWK, Ed25519 only, whose
 * x is the one its d derives (else the JWKS would publish a key that verifies
 * nothing it signs). Any failure is a fixed StartupError with no cause:
 * JSON.parse's and the PEM decoder's messages quote the input, which is the secret.
 */
export async function parsePrivateKey(text: string): Promise<KeyMaterial> {
  let material: KeyMaterial;
  let x: string | undefined;
  try {
    material = await fromPrivateJwk(readPrivateJwk(text.trim()));
    x = derivedX(material.privateJwk);
  } catch {
    throw new StartupError(NOT_A_KEY);
  }
  if (x !== material.publicJwk.x) throw new StartupError(WRONG_PUBLIC_HALF);
  return material;
}
