import { describe, expect, it } from "vitest";
import { timedFetch } from "./timed-fetch.js";

/** A server that never answers: the request ends only when its signal aborts. */
const hungServer: typeof fetch = (_input, init) =>
  new Promise((_, reject) => {
    init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

describe("timedFetch", () => {
  it("gives up on a hung server even when the caller passes a signal of its own", async () => {
    const callerSignal = new AbortController().signal;
    const started = Date.now();
    await expect(
      timedFetch(50, hungServer)("/trpc/orders/pay", { signal: callerSignal }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("gives up without a signal of the caller's too", async () => {
    await expect(timedFetch(50, hungServer)("/trpc/orders/pay")).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });

  it("still lets the caller cancel before the deadline", async () => {
    const caller = new AbortController();
    const request = timedFetch(60_000, hungServer)("/x", { signal: caller.signal });
    caller.abort();
    await expect(request).rejects.toMatchObject({ name: "AbortError" });
  });
});
