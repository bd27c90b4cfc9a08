import { AppError } from "@shop/kit";

const KEY = /^[\x21-\x7e]{8,128}$/;

/**
 * A client's `Idempotency-Key`, used as sent (8..128 visible ASCII
 * characters; orders keeps those starting with `~` for the keys it derives);
 * null without one.
 */
export function clientIdempotencyKey(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  if (!KEY.test(header)) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be 8 to 128 visible ASCII characters");
  }
  return header;
}
