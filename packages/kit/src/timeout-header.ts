/**
 * How long the caller of an internal call will wait for the answer, in
 * milliseconds (auth sets it on its calls to users). Relative, like
 * grpc-timeout, so the two clocks need not agree: the callee turns it into a
 * deadline on arrival.
 */
export const TIMEOUT_HEADER = "x-timeout-ms";

/**
 * Without the header (an older auth, a test by hand) work is still bounded:
 * nobody upstream waits longer than the gateway's 5 s upstream timeout.
 */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** A longer wait is cut to this: no login is worth a minute of queueing. */
export const MAX_TIMEOUT_MS = 60_000;

// Digits only, at most 8 of them (grpc-timeout's rule): no sign, no fraction,
// no exponent, and no number too large to add to a timestamp.
const MILLISECONDS = /^\d{1,8}$/;

/**
 * The deadline (epoch ms) of a request that arrived at `now` with `header`,
 * or null when the header is malformed.
 */
export function deadlineFromTimeoutHeader(header: string | null, now: number): number | null {
  if (header === null) return now + DEFAULT_TIMEOUT_MS;
  if (!MILLISECONDS.test(header)) return null;
  return now + Math.min(Number(header), MAX_TIMEOUT_MS);
}
