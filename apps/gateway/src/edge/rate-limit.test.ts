import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit.js";

describe("createRateLimiter", () => {
  it("allows a burst of `limit`, then refuses with the wait until the next call", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect(limiter.take("a", 2)).toEqual({ allowed: true });
    expect(limiter.take("a")).toEqual({ allowed: true });
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterS: 20 });
    expect(limiter.take("b")).toEqual({ allowed: true });
    now += 20_000;
    expect(limiter.take("a")).toEqual({ allowed: true });
  });

  it("refuses a batch bigger than what is left without spending any of it", () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => 0 });
    limiter.take("a", 2);
    expect(limiter.take("a", 2).allowed).toBe(false);
    expect(limiter.take("a", 1).allowed).toBe(true);
  });

  it("forgets the least recently seen address past maxKeys", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    limiter.take("a");
    limiter.take("b");
    limiter.take("c"); // evicts a
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("c").allowed).toBe(false);
  });
});
