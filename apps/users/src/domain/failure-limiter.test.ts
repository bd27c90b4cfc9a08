import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./failure-limiter.js";

describe("createFailureLimiter", () => {
  it("refuses a key after its attempts, with Retry-After, until the window ends", () => {
    let clock = 1_000_000;
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 60_000, now: () => clock });
    limiter.attempt("7");
    limiter.attempt("7");
    expect(() => limiter.attempt("7")).toThrow(
      expect.objectContaining({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 60 }),
    );
    limiter.attempt("8");
    clock += 30_000;
    expect(() => limiter.attempt("7")).toThrow(expect.objectContaining({ retryAfterSeconds: 30 }));
    clock += 30_000;
    limiter.attempt("7");
  });

  it("forgives a key on success, and forgets the oldest key past maxKeys", () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.attempt("a");
    limiter.succeed("a");
    limiter.attempt("a");
    limiter.attempt("b");
    limiter.attempt("c"); // evicts "a", the oldest
    expect(() => limiter.attempt("c")).toThrow();
    limiter.attempt("a");
  });
});
