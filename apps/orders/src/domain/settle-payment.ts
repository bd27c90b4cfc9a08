import { AppError } from "@shop/kit";
import type { PaymentRow } from "../db/index.js";
import { BankError, type BankName } from "./bank-client.js";
import { isBreakerOpen } from "./breaker.js";
import { type Actor, recordHistory } from "./history.js";
import type { PaymentDeps, PaymentOutcome } from "./payment-deps.js";
import { busy, markTried, releasePayment } from "./payment-store.js";
import { ask, type Verdict } from "./reconcile.js";
import { completePayment } from "./record-charge.js";

/**
 * Ends an attempt without a charge, records it, and throws the matching error.
 * A request that lost its lease writes nothing (CONFLICT): its holder settles.
 */
export async function failPayment(
  deps: PaymentDeps,
  payment: PaymentRow,
  actor: Actor,
  reason: "declined" | "banks_unavailable" | "outcome_unknown",
  message: string,
): Promise<never> {
  const status =
    reason === "declined" ? "declined" : reason === "outcome_unknown" ? "unknown" : "failed";
  if (!(await releasePayment(deps.db, payment, status, message))) throw busy();
  await recordHistory(deps.db, {
    actor,
    action: "payment_failed",
    orderId: payment.orderId,
    details: { reason, amountCents: payment.amountCents },
  });
  deps.log.warn(
    { paymentId: payment.paymentId, orderId: payment.orderId, reason, message },
    "payment failed",
  );
  if (reason === "declined") {
    throw new AppError("PAYMENT_REQUIRED", "Payment declined by the bank", { details: { reason } });
  }
  if (reason === "outcome_unknown") {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "Payment outcome unknown, retry with the same idempotency key",
      {
        retryAfterSeconds: 2,
        details: { reason },
      },
    );
  }
  const retryIn = deps.breaker.status().retryInS;
  throw new AppError(
    "SERVICE_UNAVAILABLE",
    "Both banks are unavailable; the order is still payable, retry later",
    {
      retryAfterSeconds: Math.max(1, retryIn ?? 5),
      details: { reason },
    },
  );
}

/**
 * One bank's attempt: "charged", or why not. A timeout or a dropped connection
 * is an unknown outcome, so the bank is asked before anyone fails over.
 */
async function attempt(
  deps: PaymentDeps,
  payment: PaymentRow,
  bank: BankName,
): Promise<Verdict | "skipped"> {
  const triedBefore = bank === "primary" ? payment.triedPrimary : payment.triedBackup;
  if (bank === "primary" && deps.breaker.status().state === "open") return "skipped";
  const request = {
    paymentId: payment.paymentId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    description: `Order #${payment.orderId}`,
    // The bank refuses it past the lease, so a stall cannot charge behind the next holder.
    notAfter: await markTried(deps.db, payment, bank, deps.leaseMs),
  };
  try {
    const charge =
      bank === "primary"
        ? await deps.breaker.charge(request)
        : await deps.bank.charge(bank, request);
    return { kind: "charged", bank, charge };
  } catch (error) {
    if (isBreakerOpen(error)) {
      // Opossum refused without calling (a half-open trial is running elsewhere).
      if (!triedBefore) await markTried(deps.db, payment, bank, deps.leaseMs, false);
      return "skipped";
    }
    if (!(error instanceof BankError)) throw error;
    deps.log.warn({ bank, failure: error.failure, err: error.message }, "bank charge failed");
    if (error.failure === "expired") throw busy();
    if (error.failure === "declined") return { kind: "declined" };
    if (error.failure === "unavailable") return { kind: "not_charged" };
    return ask(deps, payment, bank);
  }
}

/** Charges the primary bank (behind the breaker), falling back to the backup. */
export async function chargeWithFallback(
  deps: PaymentDeps,
  payment: PaymentRow,
  actor: Actor,
): Promise<PaymentOutcome> {
  for (const bank of ["primary", "backup"] as const) {
    const verdict = await attempt(deps, payment, bank);
    if (verdict === "skipped" || verdict.kind === "not_charged") continue;
    if (verdict.kind === "charged")
      return completePayment(deps, payment, actor, bank, verdict.charge);
    if (verdict.kind === "declined")
      return failPayment(deps, payment, actor, "declined", `${bank} declined`);
    return failPayment(deps, payment, actor, "outcome_unknown", `${bank} outcome unknown`);
  }
  return failPayment(deps, payment, actor, "banks_unavailable", "both banks unavailable");
}
