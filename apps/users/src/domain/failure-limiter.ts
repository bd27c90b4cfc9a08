import { AppError } from "@shop/kit";

/** Options of {@link createFailureLimiter}. */
export interface FailureLimiterOptions {
  /** Failures allowed per key within one window. */
  maxFailures: number;
  windowMs: number;
  /** Most keys remembered; the oldest is forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Counts attempts per key in fixed windows and refuses a key that used its
 * allowance. An attempt counts as a failure from the start and is forgiven by
 * `succeed`, so concurrent guesses cannot all slip past the check before any
 * of them has failed.
 */
export interface FailureLimiter {
  /** Counts one attempt, or throws TOO_MANY_REQUESTS (with Retry-After) when `key` has none left. */
  attempt(key: string): void;
  /** Forgets `key`'s failures after a successful attempt. */
  succeed(key: string): void;
}

/**
 * An in-process failure limiter. It bounds password guessing through
 * changePassword with a stolen access token (bcrypt alone would still allow
 * thousands of guesses during a token's 15 minutes). One process, one count:
 * replicas each keep their own, which multiplies the allowance, not removes it.
 */
export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { failures: number; startedAt: number }>();

  function current(key: string) {
    const window = windows.get(key);
    if (window && now() - window.startedAt >= options.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  return {
    attempt(key) {
      const window = current(key);
      if (window && window.failures >= options.maxFailures) {
        const retryAfterSeconds = Math.ceil((window.startedAt + options.windowMs - now()) / 1000);
        throw new AppError("TOO_MANY_REQUESTS", "Too many failed attempts; try again later", {
          retryAfterSeconds,
        });
      }
      if (window) {
        window.failures++;
        return;
      }
      if (windows.size >= maxKeys) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      windows.set(key, { failures: 1, startedAt: now() });
    },
    succeed(key) {
      windows.delete(key);
    },
  };
}
