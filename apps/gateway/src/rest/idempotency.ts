import { AppError } from "@shop/kit";

const KEY = /^[\x21-\x7e]{8,128}$/;
/** Keys the gateway derives start so; a client's key may not, so the two never meet. */
const DERIVED_PREFIX = "rest-pay-";

/**
 * A client's `Idempotency-Key`, used as sent (8..128 visible ASCII
 * characters, not starting with the derived keys' prefix); null without one.
 */
export function clientIdempotencyKey(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  if (!KEY.test(header)) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be 8 to 128 visible ASCII characters");
  }
  if (header.startsWith(DERIVED_PREFIX)) {
    throw new AppError("BAD_REQUEST", `Idempotency-Key may not start with ${DERIVED_PREFIX}`);
  }
  return header;
}

/**
 * The key of a REST payment sent without one, from the payer, the order and
 * the order's last declined attempt (its history entry id, or null). An
 * order is paid at most once, so every retry of "pay order N" is the same
 * payment and cannot charge twice; a decline charged nothing and is final for
 * its key, so the next attempt after one gets a new key instead of the
 * decline replayed forever.
 */
export function derivedPayKey(userId: number, orderId: number, lastDecline: number | null): string {
  const key = `${DERIVED_PREFIX}u${userId}-o${orderId}`;
  return lastDecline === null ? key : `${key}-d${lastDecline}`;
}
