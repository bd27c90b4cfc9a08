import type { Caller } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import type { PaymentRow } from "../db/index.js";
import { findOrderHead, loadOrder, type Order, type OrderHead } from "./order-view.js";
import { ORDER_NOT_FOUND } from "./orders.js";
import type { PaymentDeps, PaymentOutcome } from "./payment-deps.js";
import {
  busy,
  derivedPayKey,
  findPaymentByKey,
  findUnsettledPayment,
  insertPayment,
  leasePayment,
  notPayable,
  releasePayment,
} from "./payment-store.js";
import { reconcile } from "./reconcile.js";
import { completePayment, outcomeOf } from "./record-charge.js";
import { chargeWithFallback, failPayment } from "./settle-payment.js";

/**
 * Settles a leased payment that may already have reached a bank (a crash, a
 * timeout): the banks are asked first, and only a payment nobody charged is
 * charged again, with the same payment id.
 */
async function settleLeased(
  deps: PaymentDeps,
  payment: PaymentRow,
  caller: Caller,
  mayHaveReachedBank: boolean,
) {
  if (mayHaveReachedBank && (payment.triedPrimary || payment.triedBackup)) {
    const verdict = await reconcile(deps, payment);
    if (verdict.kind === "charged")
      return completePayment(deps, payment, caller, verdict.bank, verdict.charge);
    if (verdict.kind === "declined")
      return failPayment(deps, payment, caller, "declined", "declined");
    if (verdict.kind === "unknown")
      return failPayment(deps, payment, caller, "outcome_unknown", "still unknown");
  }
  return chargeWithFallback(deps, payment, caller);
}

/**
 * Another key's unsettled payment of this order blocks a new one until the
 * banks tell what happened: charged (the order is paid), or not (it is settled
 * as failed and the new key proceeds). Still unknown, it stays as it is for the
 * payment sweep (domain/payment-sweep.ts) and the new key is told to wait.
 */
async function clearUnsettled(deps: PaymentDeps, order: OrderHead, caller: Caller) {
  const unsettled = await findUnsettledPayment(deps.db, order.id);
  if (!unsettled) return;
  const leased = await leasePayment(deps.db, unsettled.id, ["pending", "unknown"], deps.leaseMs);
  const verdict = await reconcile(deps, leased);
  if (verdict.kind === "charged") {
    await completePayment(deps, leased, caller, verdict.bank, verdict.charge);
    throw notPayable("paid");
  }
  const settled =
    verdict.kind === "unknown"
      ? await releasePayment(deps.db, leased, "unknown", "still unknown when a new key came")
      : await releasePayment(
          deps.db,
          leased,
          verdict.kind === "declined" ? "declined" : "failed",
          "superseded",
        );
  if (!settled) throw busy();
  if (verdict.kind === "unknown") {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "An earlier payment of this order has an unknown outcome; the banks are asked again shortly, retry later",
      { retryAfterSeconds: 5, details: { reason: "earlier_payment_unresolved" } },
    );
  }
}

/**
 * Pays an order, once. The idempotency key is the caller's: the same key
 * returns the first result (even after a restart); another key cannot start a
 * second charge while one is in flight or done (unique index on the order).
 * Without one (a client of the seed's REST surface), it is derived from the
 * order (see {@link derivedPayKey}).
 */
export async function payOrder(
  deps: PaymentDeps,
  caller: Caller,
  orderId: number,
  clientKey: string | undefined,
): Promise<{ order: Order; payment: PaymentOutcome }> {
  const order = await findOrderHead(deps.db, orderId);
  if (!order || order.userId !== caller.id) {
    if (order && caller.role === "admin")
      throw new AppError("FORBIDDEN", "Only the order's owner can pay for it");
    throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  }
  const key = clientKey ?? (await derivedPayKey(deps.db, orderId));
  const existing = await findPaymentByKey(deps.db, caller.id, key);
  if (existing && existing.orderId !== orderId) {
    throw new AppError("CONFLICT", "This idempotency key was already used for another order");
  }

  let payment: PaymentOutcome;
  if (existing?.status === "succeeded") {
    payment = outcomeOf(existing);
  } else if (existing?.status === "declined") {
    throw new AppError("PAYMENT_REQUIRED", "Payment declined by the bank", {
      details: { reason: "declined" },
    });
  } else if (existing) {
    // failed (both banks were down: nothing charged) or pending/unknown (maybe charged).
    const settledFailed = existing.status === "failed";
    if (settledFailed && order.status !== "pending") throw notPayable(order.status);
    if (existing.refundedAt !== null) {
      // A charge that came too late for it is being paid back: its payment id is spent.
      throw new AppError(
        "CONFLICT",
        "This payment's charge came too late and is refunded; pay with a new idempotency key",
        { details: { reason: "refunded" } },
      );
    }
    const leased = await leasePayment(deps.db, existing.id, [existing.status], deps.leaseMs);
    payment = await settleLeased(deps, leased, caller, !settledFailed);
  } else {
    if (order.status !== "pending") throw notPayable(order.status);
    await clearUnsettled(deps, order, caller);
    const leased = await insertPayment(deps.db, {
      orderId,
      userId: caller.id,
      key,
      amountCents: order.totalCents,
      leaseMs: deps.leaseMs,
    });
    payment = await chargeWithFallback(deps, leased, caller);
  }
  return { order: (await loadOrder(deps.reads, orderId))!, payment };
}
