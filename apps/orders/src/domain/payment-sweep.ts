import { AppError } from "@shop/kit";
import { and, asc, inArray, isNull, lt, or } from "drizzle-orm";
import { type PaymentRow, payments } from "../db/index.js";
import { ownerActor, recordHistory } from "./history.js";
import type { PaymentDeps } from "./payment-deps.js";
import { leasePayment, releasePayment } from "./payment-store.js";
import { PeriodicSweep } from "./periodic.js";
import { reconcile } from "./reconcile.js";
import { completePayment } from "./record-charge.js";

/** Unsettled payments settled per sweep, least recently looked at first. */
const BATCH = 50;

/**
 * Settles the payments nobody is working on: a process that died mid-payment
 * leaves one `pending` with an expired lease, a timeout leaves one `unknown`.
 * Without this, such an order would stay blocked (no status change while a
 * payment is unsettled) until its owner retried with the same key. The sweep
 * asks the banks that may have seen each payment id, at start-up and every
 * `intervalMs`: charged, the order is paid (or the money owed back, as any
 * late charge); not charged or declined, the payment is settled so the order
 * can move on; still unknown, it waits for the next sweep.
 */
export class PaymentSweeper extends PeriodicSweep {
  constructor(
    private readonly deps: PaymentDeps,
    intervalMs: number,
  ) {
    super("payment sweep", intervalMs, deps.log);
  }

  protected async sweep(stopped: () => boolean): Promise<void> {
    const now = Date.now();
    const due = await this.deps.db
      .select()
      .from(payments)
      .where(
        and(
          inArray(payments.status, ["pending", "unknown"]),
          or(isNull(payments.leaseUntil), lt(payments.leaseUntil, now)),
        ),
      )
      .orderBy(asc(payments.updatedAt))
      .limit(BATCH);
    for (const payment of due) {
      if (stopped()) return;
      await this.#settle(payment);
    }
  }

  async #settle(found: PaymentRow): Promise<void> {
    const { deps } = this;
    let leased: PaymentRow;
    try {
      leased = await leasePayment(deps.db, found.id, [found.status], deps.leaseMs);
    } catch (error) {
      if (error instanceof AppError) return; // a request took it meanwhile
      throw error;
    }
    const actor = await ownerActor(deps.db, leased.userId);
    const verdict =
      leased.triedPrimary || leased.triedBackup
        ? await reconcile(deps, leased)
        : ({ kind: "not_charged" } as const);
    const context = { paymentId: leased.paymentId, orderId: leased.orderId };
    if (verdict.kind === "charged") {
      try {
        await completePayment(deps, leased, actor, verdict.bank, verdict.charge);
        deps.log.info({ ...context, bank: verdict.bank }, "payment settled by the sweep: charged");
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
      return;
    }
    if (verdict.kind === "unknown") {
      await releasePayment(deps.db, leased, "unknown", "still unknown at the payment sweep");
      return;
    }
    const status = verdict.kind === "declined" ? "declined" : "failed";
    if (!(await releasePayment(deps.db, leased, status, `settled by the sweep: ${status}`))) return;
    if (found.status === "pending" || verdict.kind === "declined") {
      // The request died before telling anyone (an `unknown` one said so
      // already), or the bank has now said no: a decline is news for the
      // owner, and what a keyless REST pay reads to try again with a new key.
      await recordHistory(deps.db, {
        actor,
        action: "payment_failed",
        orderId: leased.orderId,
        details: {
          reason: verdict.kind === "declined" ? "declined" : "interrupted",
          amountCents: leased.amountCents,
        },
      });
    }
    deps.log.info({ ...context, status }, "payment settled by the sweep: not charged");
  }
}
