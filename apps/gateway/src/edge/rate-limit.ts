/** The verdict of a rate limiter. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Calls allowed per window, and the burst size. */
  limit: number;
  windowMs: number;
  /** Most keys remembered; the least recently seen are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/** Counts calls per key (a client address) and refuses those over budget. */
export interface RateLimiter {
  /** Spends `cost` calls of `key`'s budget, or refuses without spending any. */
  take(key: string, cost?: number): RateDecision;
}

/**
 * A token bucket per key: `limit` calls at once, refilled evenly over the
 * window. Memory is bounded by `maxKeys`, so a flood of spoofed addresses
 * costs the flooder budget resets, never the gateway its memory.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const refillPerMs = options.limit / options.windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(key, cost = 1) {
      const at = now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key); // re-inserted below: Map order is then least recently seen first
        bucket.tokens = Math.min(options.limit, bucket.tokens + (at - bucket.at) * refillPerMs);
        bucket.at = at;
      } else {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        bucket = { tokens: options.limit, at };
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { allowed: true };
      }
      const missing = Math.min(cost, options.limit) - bucket.tokens;
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil(missing / refillPerMs / 1000)) };
    },
  };
}
