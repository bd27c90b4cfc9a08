import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "@shop/kit";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { z } from "zod";
import type * as schema from "../db/schema.js";
import { type ChargeRow, charges } from "../db/schema.js";
import type { BankName, FaultBoard } from "./faults.js";

export type BankDb = LibSQLDatabase<typeof schema>;

/** The body of `POST /:bank/charges`. */
export const chargeRequestSchema = z.strictObject({
  payment_id: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, "payment_id: letters, digits, _ and - only"),
  amount_cents: z.number().int().min(1).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, "currency: an ISO 4217 code"),
  description: z.string().max(200).optional(),
  /**
   * The latest moment the caller may still charge (ISO 8601): its lease on the
   * payment. A request arriving later is refused, charging nothing, so a
   * caller stalled past its lease cannot charge behind the back of the one
   * that took the payment over and asked this bank first.
   */
  not_after: z.iso.datetime().optional(),
});
export type ChargeRequest = z.infer<typeof chargeRequestSchema>;

/** A charge on the wire. */
export function chargeView(row: ChargeRow) {
  return {
    transaction_id: row.transactionId,
    payment_id: row.paymentId,
    bank: row.bank,
    amount_cents: row.amountCents,
    currency: row.currency,
    status: row.status,
    created_at: row.createdAt,
    refunded_at: row.refundedAt,
  };
}
export type Charge = ReturnType<typeof chargeView>;

const NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function bankError(
  code: "SERVICE_UNAVAILABLE" | "PAYMENT_REQUIRED" | "CONFLICT",
  message: string,
  reason: string,
) {
  return new AppError(code, message, { details: { code: reason } });
}

/** The banks' charge book: idempotent charges keyed by the caller's payment id. */
export class ChargeBook {
  constructor(
    private readonly db: BankDb,
    private readonly faults: FaultBoard,
  ) {}

  /**
   * At start-up: a charge still `processing` was cut off by a crash (this
   * bank is one process) and never settled, so it failed: a status look-up
   * says so, and a retry with the same payment id charges it. Returns how many.
   */
  async failInterrupted(): Promise<number> {
    const failed = await this.db
      .update(charges)
      .set({ status: "failed", updatedAt: NOW })
      // Both banks named, so the (bank, status) index finds them.
      .where(and(inArray(charges.bank, ["primary", "backup"]), eq(charges.status, "processing")))
      .returning({ id: charges.id });
    return failed.length;
  }

  private async find(bank: BankName, paymentId: string): Promise<ChargeRow | undefined> {
    const [row] = await this.db
      .select()
      .from(charges)
      .where(and(eq(charges.bank, bank), eq(charges.paymentId, paymentId)));
    return row;
  }

  private async setStatus(id: number, status: ChargeRow["status"]): Promise<ChargeRow> {
    const [row] = await this.db
      .update(charges)
      .set({ status, updatedAt: NOW })
      .where(eq(charges.id, id))
      .returning();
    return row!;
  }

  /**
   * Claims the payment id for this call: a new row, or a failed one being
   * retried. Returns the existing charge when it already succeeded.
   */
  private async claim(bank: BankName, request: ChargeRequest) {
    const transactionId = `${bank === "primary" ? "PRI" : "BAK"}-${randomBytes(9).toString("base64url")}`;
    const [inserted] = await this.db
      .insert(charges)
      .values({
        bank,
        paymentId: request.payment_id,
        transactionId,
        amountCents: request.amount_cents,
        currency: request.currency,
        description: request.description,
        status: "processing",
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return { row: inserted, replay: false };

    const existing = (await this.find(bank, request.payment_id))!;
    if (existing.amountCents !== request.amount_cents || existing.currency !== request.currency) {
      throw bankError("CONFLICT", "payment_id already used for another amount", "mismatch");
    }
    if (existing.status === "succeeded") return { row: existing, replay: true };
    if (existing.status === "declined")
      throw bankError("PAYMENT_REQUIRED", "Card declined", "declined");
    if (existing.status === "failed") {
      const [retried] = await this.db
        .update(charges)
        .set({ status: "processing", updatedAt: NOW })
        .where(and(eq(charges.id, existing.id), eq(charges.status, "failed")))
        .returning();
      if (retried) return { row: retried, replay: false };
    }
    throw bankError("CONFLICT", "A charge with this payment_id is in progress", "in_progress");
  }

  /** Charges once per payment id; a repeat answers the first charge (`replay`). */
  async charge(
    bank: BankName,
    request: ChargeRequest,
  ): Promise<{ charge: Charge; replay: boolean }> {
    const faults = this.faults.get(bank);
    if (faults.down) throw bankError("SERVICE_UNAVAILABLE", `The ${bank} bank is down`, "down");
    if (request.not_after !== undefined && Date.now() > Date.parse(request.not_after)) {
      throw bankError("CONFLICT", "The charge arrived after its not_after time", "expired");
    }
    const { row, replay } = await this.claim(bank, request);
    if (replay) return { charge: chargeView(row), replay };

    const fail = this.faults.drawFailure(bank);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (fail) {
      await this.setStatus(row.id, "failed");
      throw bankError(
        "SERVICE_UNAVAILABLE",
        `The ${bank} bank failed to process the charge`,
        "unavailable",
      );
    }
    if (faults.declineOverCents !== null && request.amount_cents > faults.declineOverCents) {
      await this.setStatus(row.id, "declined");
      throw bankError("PAYMENT_REQUIRED", "Card declined", "declined");
    }
    return { charge: chargeView(await this.setStatus(row.id, "succeeded")), replay: false };
  }

  /** The charge for a payment id, in whatever state it is. */
  async status(bank: BankName, paymentId: string): Promise<Charge> {
    if (this.faults.get(bank).down) {
      throw bankError("SERVICE_UNAVAILABLE", `The ${bank} bank is down`, "down");
    }
    const row = await this.find(bank, paymentId);
    if (!row)
      throw new AppError("NOT_FOUND", "No charge with this payment_id", {
        details: { code: "not_found" },
      });
    return chargeView(row);
  }

  /**
   * Pays a succeeded charge back, once: a repeat answers the same refund.
   * Faults apply as to charges (down, failure rate), so callers must retry.
   */
  async refund(bank: BankName, paymentId: string): Promise<Charge> {
    if (this.faults.get(bank).down) {
      throw bankError("SERVICE_UNAVAILABLE", `The ${bank} bank is down`, "down");
    }
    const row = await this.find(bank, paymentId);
    if (!row) {
      throw new AppError("NOT_FOUND", "No charge with this payment_id", {
        details: { code: "not_found" },
      });
    }
    if (row.status !== "succeeded") {
      throw bankError("CONFLICT", `A ${row.status} charge cannot be refunded`, "not_refundable");
    }
    if (row.refundedAt !== null) return chargeView(row);
    if (this.faults.drawFailure(bank)) {
      throw bankError(
        "SERVICE_UNAVAILABLE",
        `The ${bank} bank failed to process the refund`,
        "unavailable",
      );
    }
    const [refunded] = await this.db
      .update(charges)
      .set({ refundedAt: NOW, updatedAt: NOW })
      .where(and(eq(charges.id, row.id), isNull(charges.refundedAt)))
      .returning();
    // A concurrent refund of the same charge won: answer it.
    return chargeView(refunded ?? (await this.find(bank, paymentId))!);
  }

  /** What this bank charged (succeeded charges only), oldest first, for audits. */
  async charged(bank: BankName): Promise<Charge[]> {
    const rows = await this.db
      .select()
      .from(charges)
      .where(and(eq(charges.bank, bank), eq(charges.status, "succeeded")))
      .orderBy(asc(charges.id))
      .limit(10_000);
    return rows.map(chargeView);
  }
}
