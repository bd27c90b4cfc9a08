import { AppError } from "@shop/kit";
import { and, eq, inArray, ne } from "drizzle-orm";
import { orders, type PaymentRow, payments } from "../db/index.js";
import type { BankCharge, BankName } from "./bank-client.js";
import { type Actor, recordHistory } from "./history.js";
import type { PaymentDeps, PaymentOutcome } from "./payment-deps.js";

/**
 * Records a charge a bank confirmed, marks the order paid, appends history:
 * one transaction. The charge is a fact, so it is recorded whoever holds the
 * lease, once (the first writer wins: the update requires an unsettled
 * payment). A charge that lands on a payment already settled without one (a
 * request paused past its lease while another settled it) pays the order if
 * it still waits for a payment, else is owed back: never lost. One that lands
 * after the order left `pending` is owed back too.
 */
export async function completePayment(
  deps: PaymentDeps,
  payment: PaymentRow,
  actor: Actor,
  bank: BankName,
  charge: BankCharge,
): Promise<PaymentOutcome> {
  const now = Date.now();
  const usedFallback = bank === "backup";
  const details = {
    transactionId: charge.transaction_id,
    bank,
    amountCents: payment.amountCents,
    usedFallback,
  };
  const settled = await deps.db.transaction(async (tx) => {
    const [recorded] = await tx
      .update(payments)
      .set({
        status: "succeeded",
        bank,
        transactionId: charge.transaction_id,
        usedFallback,
        paidAt: now,
        leaseUntil: null,
        leaseToken: null,
        lastError: null,
        updatedAt: now,
      })
      .where(and(eq(payments.id, payment.id), inArray(payments.status, ["pending", "unknown"])))
      .returning({ id: payments.id });
    if (!recorded) return lateCharge(tx, payment, actor, bank, charge, details);
    const [paid] = await tx
      .update(orders)
      .set({ status: "paid", updatedAt: now })
      .where(and(eq(orders.id, payment.orderId), eq(orders.status, "pending")))
      .returning({ id: orders.id });
    await recordHistory(tx, { actor, action: "order_paid", orderId: payment.orderId, details });
    if (paid) return "paid" as const;
    // The order left `pending` while the bank was charging: the money goes back.
    await tx.update(payments).set({ refundedAt: now }).where(eq(payments.id, payment.id));
    await recordHistory(tx, {
      actor,
      action: "refund_recorded",
      orderId: payment.orderId,
      details,
    });
    return "refund_owed" as const;
  });
  if (settled === "refund_owed" || settled === "superseded") void deps.refunds.kick();
  if (settled === "superseded") {
    throw new AppError(
      "CONFLICT",
      "This payment was settled meanwhile without this charge; the charge will be refunded",
      { details: { reason: "superseded" } },
    );
  }
  if (settled === "recorded_elsewhere") {
    const [row] = await deps.db.select().from(payments).where(eq(payments.id, payment.id));
    if (row?.status === "succeeded" && row.transactionId === charge.transaction_id) {
      return outcomeOf(row);
    }
    // Both banks charged one payment id, or a second late charge: money a person must return.
    deps.log.error(
      { paymentId: payment.paymentId, bank, transactionId: charge.transaction_id },
      "a charge landed on a payment settled by another charge; refund it by hand",
    );
    throw new AppError("CONFLICT", "This payment was settled meanwhile by another charge");
  }
  return {
    transactionId: charge.transaction_id,
    bank,
    amountCents: payment.amountCents,
    paidAt: new Date(now).toISOString(),
    usedFallback,
  };
}

/** A settled payment as the API shows it. */
export function outcomeOf(payment: PaymentRow): PaymentOutcome {
  return {
    transactionId: payment.transactionId!,
    bank: payment.bank!,
    amountCents: payment.amountCents,
    paidAt: new Date(payment.paidAt!).toISOString(),
    usedFallback: payment.usedFallback,
  };
}

type Tx = Parameters<Parameters<PaymentDeps["db"]["transaction"]>[0]>[0];

/**
 * A confirmed charge found its payment settled already: by the same charge
 * (another request asked the bank first), or as failed or declined by the
 * request that took over a lease this one outlived. Then, if the order still
 * waits for a payment (pending, none other active), the charge pays it;
 * otherwise it is owed back. The transaction is IMMEDIATE, so the checks hold.
 */
async function lateCharge(
  tx: Tx,
  payment: PaymentRow,
  actor: Actor,
  bank: BankName,
  charge: BankCharge,
  details: { usedFallback: boolean } & Record<string, unknown>,
): Promise<"adopted" | "recorded_elsewhere" | "superseded"> {
  const now = Date.now();
  const [row] = await tx
    .select({
      status: payments.status,
      refundedAt: payments.refundedAt,
      tx: payments.transactionId,
    })
    .from(payments)
    .where(eq(payments.id, payment.id));
  if (!row || row.status === "succeeded") return "recorded_elsewhere";
  // Already owed back: the same charge again is that refund; another is for a person.
  if (row.refundedAt !== null)
    return row.tx === charge.transaction_id ? "superseded" : "recorded_elsewhere";
  const [order] = await tx
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, payment.orderId));
  const [other] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.orderId, payment.orderId),
        inArray(payments.status, ["pending", "unknown", "succeeded"]),
        ne(payments.id, payment.id),
      ),
    );
  const charged = { bank, transactionId: charge.transaction_id, updatedAt: now };
  if (order?.status === "pending" && !other) {
    await tx
      .update(payments)
      .set({
        ...charged,
        status: "succeeded",
        usedFallback: details.usedFallback,
        paidAt: now,
        lastError: null,
      })
      .where(eq(payments.id, payment.id));
    await tx
      .update(orders)
      .set({ status: "paid", updatedAt: now })
      .where(and(eq(orders.id, payment.orderId), eq(orders.status, "pending")));
    await recordHistory(tx, { actor, action: "order_paid", orderId: payment.orderId, details });
    return "adopted";
  }
  await tx
    .update(payments)
    .set({ ...charged, refundedAt: now })
    .where(eq(payments.id, payment.id));
  await recordHistory(tx, { actor, action: "refund_recorded", orderId: payment.orderId, details });
  return "superseded";
}
