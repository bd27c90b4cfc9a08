import { randomUUID } from "node:crypto";
import { AppError } from "@shop/kit";
import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { type OrdersDb, type PaymentRow, type PaymentStatus, payments } from "../db/index.js";
import type { BankName } from "./bank-client.js";

/** The payments table's writes, each a single conditional statement. */

export async function findPaymentByKey(db: OrdersDb, userId: number, key: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, userId), eq(payments.idempotencyKey, key)));
  return row;
}

/** A payment of this order whose outcome is not settled yet (at most one: unique index). */
export async function findUnsettledPayment(db: OrdersDb, orderId: number) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, ["pending", "unknown"])));
  return row;
}

function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const message = (e as Error).message ?? "";
    const match = /UNIQUE constraint failed: ([\w., ]+)/.exec(message);
    if (match) return match[1]!;
  }
  return null;
}

const busy = () =>
  new AppError("CONFLICT", "A payment for this order is in progress; try again shortly", {
    retryAfterSeconds: 2,
  });

/** Records a new payment attempt, leased to this request, before any bank is called. */
export async function insertPayment(
  db: OrdersDb,
  input: { orderId: number; userId: number; key: string; amountCents: number; leaseMs: number },
): Promise<PaymentRow> {
  const now = Date.now();
  try {
    const [row] = await db
      .insert(payments)
      .values({
        orderId: input.orderId,
        userId: input.userId,
        idempotencyKey: input.key,
        paymentId: `pay_${randomUUID().replaceAll("-", "")}`,
        amountCents: input.amountCents,
        status: "pending",
        leaseUntil: now + input.leaseMs,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
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
      .set({ status: "pending", leaseUntil: now + leaseMs, updatedAt: now })
      .where(
        and(
          eq(payments.id, id),
          inArray(payments.status, from),
          or(isNull(payments.leaseUntil), lt(payments.leaseUntil, now)),
        ),
      )
      .returning();
    if (row) return row;
  } catch (error) {
    if (!uniqueViolation(error)) throw error;
  }
  throw busy();
}

/** Notes, before calling a bank, that the bank may see this payment id. */
export async function markTried(db: OrdersDb, id: number, bank: BankName, tried = true) {
  await db
    .update(payments)
    .set(bank === "primary" ? { triedPrimary: tried } : { triedBackup: tried })
    .where(eq(payments.id, id));
}

/** Ends an attempt without a charge: `unknown` stays reconcilable, `failed` and `declined` are settled. */
export async function releasePayment(
  db: OrdersDb,
  id: number,
  status: "unknown" | "failed" | "declined",
  lastError: string,
) {
  await db
    .update(payments)
    .set({ status, lastError: lastError.slice(0, 500), leaseUntil: null, updatedAt: Date.now() })
    .where(eq(payments.id, id));
}
