import type { Logger } from "@shop/kit";
import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { type OrdersDb, payments } from "../db/index.js";
import { type BankClient, BankError, type BankName } from "./bank-client.js";
import { ownerActor, recordHistory } from "./history.js";
import { PeriodicSweep } from "./periodic.js";

/** What the sweep needs. */
export interface RefundDeps {
  db: OrdersDb;
  bank: Pick<BankClient, "refund">;
  log: Logger;
}

/** Refunds asked of the banks per statement that finds them. */
const BATCH = 50;

/** The longest wait between two attempts at a refund its bank refused. */
export const MAX_REFUSED_WAIT_MS = 60 * 60_000;

/** How one refund went. */
type Outcome = "confirmed" | "bank_unavailable" | "refused" | "failed";

/**
 * Pays back what the shop owes. A refund is owed from the transaction that
 * makes it so (a paid order cancelled, a charge that landed after the order
 * left `pending`): that transaction sets the payment's `refunded_at`, so
 * nothing is lost on a crash. The sweep asks the bank that charged to refund
 * each owed payment, by payment id (the bank refunds an id once), and marks it
 * confirmed with a `refund_completed` history entry; a bank that is down or
 * failing leaves it owed for the next sweep: at start-up, after every new
 * refund, and every `intervalMs`.
 *
 * A bank that is unreachable, times out or answers 503 (or 408, 429) is not
 * asked for its other refunds in the same sweep (each would wait for the same
 * timeout), and says so in one warning. A refund the bank refuses outright (a 4xx: it does
 * not know the charge, or the charge cannot be refunded) needs a person: it is
 * logged as an error once, stays owed, and is asked again after a wait that
 * doubles from `intervalMs` up to {@link MAX_REFUSED_WAIT_MS}, so neither the
 * bank nor the log is flooded. A restart asks again at once.
 */
export class RefundSweeper extends PeriodicSweep {
  /** Refunds their bank refused, by payment id: how often, and when to ask again. */
  readonly #refused = new Map<string, { attempts: number; nextAt: number }>();

  constructor(
    private readonly deps: RefundDeps,
    intervalMs: number,
  ) {
    super("refund sweep", intervalMs, deps.log);
  }

  protected async sweep(stopped: () => boolean): Promise<void> {
    const { db, log } = this.deps;
    let after = 0;
    // Banks that were unreachable in this sweep, with how many refunds wait on each.
    const unavailable = new Map<BankName, number>();
    for (;;) {
      const owed = await db
        .select({
          id: payments.id,
          orderId: payments.orderId,
          userId: payments.userId,
          paymentId: payments.paymentId,
          bank: payments.bank,
          transactionId: payments.transactionId,
          amountCents: payments.amountCents,
        })
        .from(payments)
        .where(
          and(
            isNotNull(payments.refundedAt),
            isNull(payments.refundConfirmedAt),
            gt(payments.id, after),
          ),
        )
        .orderBy(asc(payments.id))
        .limit(BATCH);
      for (const payment of owed) {
        if (stopped()) return;
        const bank = payment.bank;
        if (bank !== null && unavailable.has(bank)) {
          unavailable.set(bank, unavailable.get(bank)! + 1);
          continue;
        }
        if ((this.#refused.get(payment.paymentId)?.nextAt ?? 0) > Date.now()) continue;
        if ((await this.#refund(payment)) === "bank_unavailable") unavailable.set(bank!, 1);
      }
      if (owed.length < BATCH) break;
      after = owed.at(-1)!.id;
    }
    for (const [bank, waiting] of unavailable) {
      log.warn(
        { bank, refundsOwed: waiting },
        `${bank} bank unavailable: ${waiting} refund(s) stay owed until the next sweep`,
      );
    }
  }

  async #refund(payment: {
    id: number;
    orderId: number;
    userId: number;
    paymentId: string;
    bank: "primary" | "backup" | null;
    transactionId: string | null;
    amountCents: number;
  }): Promise<Outcome> {
    const { db, bank, log } = this.deps;
    const { paymentId } = payment;
    if (payment.bank === null) {
      log.error({ paymentId }, "a refund is owed for a payment no bank charged");
      return "failed";
    }
    try {
      await bank.refund(payment.bank, paymentId);
    } catch (error) {
      const status = error instanceof BankError ? error.httpStatus : undefined;
      // A timeout or a rate limit says "later", not "no".
      const later = status === 408 || status === 429;
      if (status !== undefined && status >= 400 && status < 500 && !later) {
        const attempts = (this.#refused.get(paymentId)?.attempts ?? 0) + 1;
        const waitMs = Math.min(this.intervalMs * 2 ** (attempts - 1), MAX_REFUSED_WAIT_MS);
        this.#refused.set(paymentId, { attempts, nextAt: Date.now() + waitMs });
        const context = { paymentId, bank: payment.bank, status, attempts, retryInMs: waitMs };
        if (attempts === 1) {
          log.error(context, "the bank refuses this refund: it stays owed and needs a person");
        } else {
          log.warn(context, "the bank still refuses this refund; it stays owed");
        }
        return "refused";
      }
      log.warn(
        { err: error, paymentId, bank: payment.bank },
        "refund not confirmed yet; the next sweep retries it",
      );
      const unreachable =
        error instanceof BankError &&
        (error.failure === "unavailable" || status === undefined || later);
      return unreachable ? "bank_unavailable" : "failed";
    }
    this.#refused.delete(paymentId);
    const now = Date.now();
    await db.transaction(async (tx) => {
      const [confirmed] = await tx
        .update(payments)
        .set({ refundConfirmedAt: now, updatedAt: now })
        .where(and(eq(payments.id, payment.id), isNull(payments.refundConfirmedAt)))
        .returning({ id: payments.id });
      if (!confirmed) return;
      await recordHistory(tx, {
        actor: await ownerActor(tx, payment.userId),
        action: "refund_completed",
        orderId: payment.orderId,
        details: {
          amountCents: payment.amountCents,
          currency: "EUR",
          bank: payment.bank,
          transactionId: payment.transactionId,
        },
      });
    });
    log.info({ paymentId, bank: payment.bank }, "refund confirmed by the bank");
    return "confirmed";
  }
}
