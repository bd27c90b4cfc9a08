import { AppError } from "@shop/kit";

const KEY = /^[\x21-\x7e]{8,128}$/;

/**
 * The idempotency key of a REST payment. A client's `Idempotency-Key` is used
 * as sent (8..128 visible ASCII characters). Without one, the key is derived
 * from the payer and the order: an order is paid at most once, so every retry
 * of "pay order N" is the same payment, and a client of the seed that never
 * sent the header still cannot be charged twice by a retry.
 */
export function idempotencyKey(
  header: string | undefined,
  userId: number,
  orderId: number,
): string {
  if (header === undefined || header === "") return `rest-pay-u${userId}-o${orderId}`;
  if (!KEY.test(header)) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be 8 to 128 visible ASCII characters");
  }
  return header;
}
