import { randomUUID } from "node:crypto";
import { AppError } from "@shop/kit";
import { and, count, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import {
  type OrderStatus,
  type OrdersDb,
  orders,
  type PaymentRow,
  type PaymentStatus,
  payments,
} from "../db/index.js";
import type { BankName } from "./bank-client.js";

/** The payments table's writes, each a single conditional statement. */

export async function findPaymentByKey(db: OrdersDb, userId: number, key: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, userId), eq(payments.idempotencyKey, key)));
  return row;
}

/**
 * The key of a payment sent without one: the order and how many of its
 * payments were declined. Every retry of "pay order N" is then the same
 * payment (never a second charge), and after a decline (final for its key,
 * nothing charged) the next try is a new attempt instead of the decline
 * replayed for ever. Keys starting with `~` are the service's; a client's
 * may not (see procedures/inputs.ts). Scoped to the payer, as every key.
 */
export async function derivedPayKey(db: OrdersDb, orderId: number): Promise<string> {
  const [declined] = await db
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, "declined")));
  return `~order-${orderId}-declined-${declined?.n ?? 0}`;
}

/** A payment of this order whose outcome is not settled yet (at most one: unique index). */
export async function findUnsettledPayment(db: OrdersDb, orderId: number) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, ["pending", "unknown"])));
  return row;
}

/** The columns of the unique constraint `error` (or a cause of it) broke, or null. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const message = (e as Error).message ?? "";
    const match = /UNIQUE constraint failed: ([\w., ]+)/.exec(message);
    if (match) return match[1]!;
  }
  return null;
}

export function notPayable(status: OrderStatus): AppError {
  return new AppError("CONFLICT", `Order is not payable: it is ${status}`, {
    details: { status },
  });
}

export const busy = () =>
  new AppError("CONFLICT", "A payment for this order is in progress; try again shortly", {
    retryAfterSeconds: 2,
  });

/**
 * How long a request holds a payment. The lease is renewed before every bank
 * call, so it covers the longest stretch between two renewals (a charge and a
 * status look-up, each bounded by the bank timeout), twice over, plus slack
 * for the database.
 */
export const paymentLeaseMs = (bankTimeoutMs: number) => bankTimeoutMs * 4 + 2_000;

/** Records a new payment attempt, leased to this request, before any bank is called. */
export async function insertPayment(
  db: OrdersDb,
  input: { orderId: number; userId: number; key: string; amountCents: number; leaseMs: number },
): Promise<PaymentRow> {
  const now = Date.now();
  try {
    // One IMMEDIATE transaction: the order cannot be cancelled between the check and the insert.
    return await db.transaction(async (tx) => {
      const [order] = await tx
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.id, input.orderId));
      if (order?.status !== "pending") throw notPayable(order?.status ?? "cancelled");
      const [row] = await tx
        .insert(payments)
        .values({
          orderId: input.orderId,
          userId: input.userId,
          idempotencyKey: input.key,
          paymentId: `pay_${randomUUID().replaceAll("-", "")}`,
          amountCents: input.amountCents,
          status: "pending",
          leaseUntil: now + input.leaseMs,
          leaseToken: randomUUID(),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return row!;
    });
  } catch (error) {
    // The same key racing itself, or another key paying the same order: one wins.
    if (uniqueViolation(error)) throw busy();
    throw error;
  }
}

/**
 * Takes the lease on a payment in one of `from` (and puts it back to pending),
 * unless another request holds an unexpired lease. Throws CONFLICT if taken.
 */
export async function leasePayment(
  db: OrdersDb,
  id: number,
  from: PaymentStatus[],
  leaseMs: number,
): Promise<PaymentRow> {
  const now = Date.now();
  try {
    const [row] = await db
      .update(payments)
      .set({
        status: "pending",
        leaseUntil: now + leaseMs,
        leaseToken: randomUUID(),
        updatedAt: now,
      })
      .where(
        and(
          eq(payments.id, id),
          inArray(payments.status, from),
          or(isNull(payments.leaseUntil), lt(payments.leaseUntil, now)),
          // A payment whose charge is owed back is done: its payment id is spent.
          isNull(payments.refundedAt),
          // Only while the order waits for a payment (a failed payment may be
          // retried after the order was cancelled).
          sql`exists (select 1 from ${orders} where ${orders.id} = ${payments.orderId} and ${orders.status} = 'pending')`,
        ),
      )
      .returning();
    if (row) return row;
  } catch (error) {
    if (!uniqueViolation(error)) throw error;
  }
  throw busy();
}

/** The payment is still pending under this request's lease. */
const heldBy = (payment: PaymentRow) =>
  and(
    eq(payments.id, payment.id),
    eq(payments.status, "pending"),
    eq(payments.leaseToken, payment.leaseToken ?? ""),
  );

/**
 * Notes, before calling a bank, that the bank may see this payment id, and
 * renews the lease so it covers that call; returns the lease's new end, which
 * the charge carries as its deadline (`not_after`). Throws CONFLICT (and no
 * bank is called) if the lease was lost: another request took the payment over.
 */
export async function markTried(
  db: OrdersDb,
  payment: PaymentRow,
  bank: BankName,
  leaseMs: number,
  tried = true,
): Promise<number> {
  const now = Date.now();
  const [row] = await db
    .update(payments)
    .set({
      ...(bank === "primary" ? { triedPrimary: tried } : { triedBackup: tried }),
      leaseUntil: now + leaseMs,
      updatedAt: now,
    })
    .where(heldBy(payment))
    .returning({ leaseUntil: payments.leaseUntil });
  if (!row) throw busy();
  return row.leaseUntil!;
}

/**
 * Ends an attempt without a charge: `unknown` stays reconcilable, `failed` and
 * `declined` are settled. False if the lease was lost, and nothing is written:
 * the next holder's word stands.
 */
export async function releasePayment(
  db: OrdersDb,
  payment: PaymentRow,
  status: "unknown" | "failed" | "declined",
  lastError: string,
): Promise<boolean> {
  const [row] = await db
    .update(payments)
    .set({
      status,
      lastError: lastError.slice(0, 500),
      leaseUntil: null,
      leaseToken: null,
      updatedAt: Date.now(),
    })
    .where(heldBy(payment))
    .returning({ id: payments.id });
  return row !== undefined;
}
