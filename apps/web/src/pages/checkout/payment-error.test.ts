import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en.js";
import { paymentErrorText, retryPayment } from "./payment-error.js";

/** An error as orders sends it through the gateway (kit's formatter: code, status, details). */
function ordersError(
  code: string,
  httpStatus: number,
  extra: { retryAfterSeconds?: number; details?: Record<string, unknown> } = {},
) {
  return TRPCClientError.from({
    error: { code: -32603, message: "from the server", data: { code, httpStatus, ...extra } },
  });
}

describe("paymentErrorText", () => {
  it.each([
    // Both banks refused the connection: nothing was charged.
    ["banks_unavailable", en.checkout.banksDown],
    // A bank took the request and its answer was lost: maybe charged, never "banks down".
    ["outcome_unknown", en.checkout.outcomeUnknown],
    // Another key's payment of this order is still being checked with the bank.
    ["earlier_payment_unresolved", en.checkout.earlierUnresolved],
  ])("says what a 503 with reason %s means", (reason, text) => {
    const error = ordersError("SERVICE_UNAVAILABLE", 503, {
      retryAfterSeconds: 5,
      details: { reason },
    });
    expect(paymentErrorText(error, en)).toBe(text);
  });

  it("treats a lost answer (no response, a timeout, a 5xx) as an unknown outcome", () => {
    expect(paymentErrorText(new TypeError("Failed to fetch"), en)).toBe(en.checkout.outcomeUnknown);
    expect(paymentErrorText(ordersError("GATEWAY_TIMEOUT", 504), en)).toBe(
      en.checkout.outcomeUnknown,
    );
    expect(paymentErrorText(ordersError("INTERNAL_SERVER_ERROR", 500), en)).toBe(
      en.checkout.outcomeUnknown,
    );
  });

  it("keeps the definite answers: declined, not payable, in progress", () => {
    expect(paymentErrorText(ordersError("PAYMENT_REQUIRED", 402), en)).toBe(en.checkout.declined);
    expect(paymentErrorText(ordersError("CONFLICT", 409), en)).toBe(en.checkout.notPayable);
    expect(paymentErrorText(ordersError("CONFLICT", 409, { retryAfterSeconds: 2 }), en)).toBe(
      en.checkout.inProgress,
    );
  });
});

describe("retryPayment", () => {
  const unavailable = (reason: string) =>
    ordersError("SERVICE_UNAVAILABLE", 503, { retryAfterSeconds: 2, details: { reason } });

  it("asks again, with the same key, while orders says the outcome is still being found out", () => {
    expect(retryPayment(0, ordersError("CONFLICT", 409, { retryAfterSeconds: 2 }))).toBe(true);
    expect(retryPayment(0, unavailable("outcome_unknown"))).toBe(true);
    expect(retryPayment(0, unavailable("earlier_payment_unresolved"))).toBe(true);
  });

  it("leaves a definite answer, or a long wait, to the person", () => {
    expect(retryPayment(0, ordersError("PAYMENT_REQUIRED", 402))).toBe(false);
    expect(retryPayment(0, ordersError("CONFLICT", 409))).toBe(false);
    expect(retryPayment(0, unavailable("banks_unavailable"))).toBe(false);
    expect(retryPayment(5, unavailable("outcome_unknown"))).toBe(false);
    expect(retryPayment(15, ordersError("CONFLICT", 409, { retryAfterSeconds: 2 }))).toBe(false);
  });
});
