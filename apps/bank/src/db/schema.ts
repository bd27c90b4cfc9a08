import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every charge request a bank accepted. A row is written when the request
 * arrives (status `processing`), before any injected latency, so a status
 * look-up during a slow charge answers "processing" instead of "never seen":
 * that is what lets the orders service reconcile a timeout without paying twice.
 */
export const charges = sqliteTable(
  "charges",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    bank: text({ enum: ["primary", "backup"] }).notNull(),
    /** The caller's payment id: the idempotency key of a charge at this bank. */
    paymentId: text().notNull(),
    transactionId: text().notNull(),
    /** Integer cents: never floats for money. */
    amountCents: integer().notNull(),
    currency: text().notNull(),
    description: text(),
    status: text({ enum: ["processing", "succeeded", "failed", "declined"] }).notNull(),
    /** When a succeeded charge was paid back (ISO 8601); null while it stands. */
    refundedAt: text(),
    createdAt: text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    updatedAt: text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [
    // One charge per payment id per bank: a retried request finds the first.
    uniqueIndex("charges_bank_payment_id_unique").on(t.bank, t.paymentId),
    uniqueIndex("charges_transaction_id_unique").on(t.transactionId),
    index("charges_bank_status_idx").on(t.bank, t.status),
  ],
);

export type ChargeRow = typeof charges.$inferSelect;
