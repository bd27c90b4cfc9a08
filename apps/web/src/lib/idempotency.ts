/**
 * Payment idempotency keys: one per checkout, so a retry or a reload in the
 * middle of a payment repeats the same payment instead of starting a second
 * one. A key only names a payment intent; it grants nothing, so unlike a
 * token it may live in sessionStorage (this tab, until the payment settles).
 */
const PREFIX = "shop.checkout.";

/** A fresh idempotency key (one intent: a payment, an order being placed). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether this tab holds a key for the order: its checkout was started by a
 * press of Pay and is not settled yet, so arriving on it (a reload in the
 * middle of a payment) resumes that same payment.
 */
export function hasCheckoutKey(orderId: number): boolean {
  try {
    return sessionStorage.getItem(`${PREFIX}${orderId}`) !== null;
  } catch {
    return false;
  }
}

/** The key of this order's checkout, created when the checkout starts. */
export function checkoutKey(orderId: number): string {
  const name = `${PREFIX}${orderId}`;
  try {
    const stored = sessionStorage.getItem(name);
    if (stored) return stored;
    const key = newIdempotencyKey();
    sessionStorage.setItem(name, key);
    return key;
  } catch {
    return newIdempotencyKey();
  }
}

/** Forgets the key once the payment is settled (paid, declined, or the order is no longer payable). */
export function forgetCheckoutKey(orderId: number): void {
  try {
    sessionStorage.removeItem(`${PREFIX}${orderId}`);
  } catch {
    // Nothing stored.
  }
}
