import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./failure-limiter.js";

describe("createFailureLimiter", () => {
  it("refuses a key after its failures, with Retry-After, until the window ends", () => {
    let clock = 1_000_000;
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 60_000, now: () => clock });
    limiter.check("7");
    limiter.fail("7");
    limiter.check("7");
    limiter.fail("7");
    expect(() => limiter.check("7")).toThrow(
      expect.objectContaining({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 60 }),
    );
    limiter.check("8");
    clock += 30_000;
    expect(() => limiter.check("7")).toThrow(expect.objectContaining({ retryAfterSeconds: 30 }));
    clock += 30_000;
    limiter.check("7");
  });

  it("forgets a key on reset, and the oldest key past maxKeys", () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.fail("a");
    limiter.reset("a");
    limiter.check("a");
    limiter.fail("b");
    limiter.fail("c");
    limiter.fail("d");
    limiter.check("b");
    expect(() => limiter.check("d")).toThrow();
  });
});
