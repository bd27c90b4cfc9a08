import { silentLogger } from "@shop/kit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type BankCharge, type BankClient, BankError } from "./bank-client.js";
import { PrimaryBankBreaker } from "./breaker.js";

/** A primary bank whose calls fail when the test says so. */
function slowFailingBank() {
  const pending: Array<(error: Error) => void> = [];
  const bank = {
    charge: () => new Promise<BankCharge>((_resolve, reject) => pending.push(reject)),
  } as unknown as BankClient;
  const failAll = () => {
    for (const reject of pending.splice(0)) reject(new BankError("primary", "unknown", "timeout"));
  };
  return { bank, failAll };
}

const request = { paymentId: "pay_1", amountCents: 100, currency: "EUR", description: "x" };

afterEach(() => {
  vi.useRealTimers();
});

describe("the primary bank breaker", () => {
  it("opens only after the threshold of failures in a row, however old the calls are", async () => {
    // Opossum counts calls and failures in a rolling 10 s window: a call fired
    // before the window moved on and failing after it must not trip it alone.
    vi.useFakeTimers();
    const { bank, failAll } = slowFailingBank();
    const breaker = new PrimaryBankBreaker(
      bank,
      { threshold: 3, resetAfterMs: 30_000 },
      silentLogger,
    );
    try {
      for (let failures = 1; failures <= 3; failures += 1) {
        const call = breaker.charge(request).catch((error: unknown) => error);
        await vi.advanceTimersByTimeAsync(11_000);
        failAll();
        expect(await call).toBeInstanceOf(BankError);
        expect(breaker.status()).toMatchObject({
          state: failures < 3 ? "closed" : "open",
          failures,
        });
      }
    } finally {
      breaker.shutdown();
    }
  });
});
