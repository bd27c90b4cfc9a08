import type { Logger } from "@shop/kit";
import { and, asc, desc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { history, type OrdersDb, payments } from "../db/index.js";
import type { BankClient } from "./bank-client.js";
import { recordHistory } from "./history.js";

/** What the sweep needs. */
export interface RefundDeps {
  db: OrdersDb;
  bank: Pick<BankClient, "refund">;
  log: Logger;
}

/** Refunds asked of the banks per statement that finds them. */
const BATCH = 50;

/**
 * Pays back what the shop owes. A refund is owed from the transaction that
 * makes it so (a paid order cancelled, a charge that landed after the order
 * left `pending`): that transaction sets the payment's `refunded_at`, so
 * nothing is lost on a crash. The sweep asks the bank that charged to refund
 * each owed payment, by payment id (the bank refunds an id once), and marks it
 * confirmed with a `refund_completed` history entry; a bank that is down or
 * failing leaves it owed for the next sweep: at start-up, after every new
 * refund, and every `intervalMs`.
 */
export class RefundSweeper {
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly deps: RefundDeps,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    void this.kick();
    this.#timer = setInterval(() => void this.kick(), this.intervalMs);
    this.#timer.unref();
  }

  /** Runs a sweep now, or once more after the one running; resolves when done. */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#sweep();
        } while (this.#again && !this.#stopped);
      } catch (error) {
        this.deps.log.error({ err: error }, "refund sweep failed");
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Stops sweeping; waits for the bank call in flight, if any (one bank timeout at most). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  async #sweep(): Promise<void> {
    const { db } = this.deps;
    let after = 0;
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
        if (this.#stopped) return;
        await this.#refund(payment);
      }
      if (owed.length < BATCH) return;
      after = owed.at(-1)!.id;
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
  }): Promise<void> {
    const { db, bank, log } = this.deps;
    if (payment.bank === null) {
      log.error({ paymentId: payment.paymentId }, "a refund is owed for a payment no bank charged");
      return;
    }
    try {
      await bank.refund(payment.bank, payment.paymentId);
    } catch (error) {
      log.warn(
        { err: error, paymentId: payment.paymentId, bank: payment.bank },
        "refund not confirmed yet; the next sweep retries it",
      );
      return;
    }
    const now = Date.now();
    await db.transaction(async (tx) => {
      const [confirmed] = await tx
        .update(payments)
        .set({ refundConfirmedAt: now, updatedAt: now })
        .where(and(eq(payments.id, payment.id), isNull(payments.refundConfirmedAt)))
        .returning({ id: payments.id });
      if (!confirmed) return;
      // In the owner's history, under the name their own entries carry.
      const [named] = await tx
        .select({ username: history.username })
        .from(history)
        .where(eq(history.userId, payment.userId))
        .orderBy(desc(history.id))
        .limit(1);
      await recordHistory(tx, {
        actor: { id: payment.userId, username: named?.username ?? `user ${payment.userId}` },
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
    log.info({ paymentId: payment.paymentId, bank: payment.bank }, "refund confirmed by the bank");
  }
}
