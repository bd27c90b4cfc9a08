import type { Logger } from "@shop/kit";
import type { OrdersDb } from "../db/index.js";
import type { BankClient, BankName } from "./bank-client.js";
import type { PrimaryBankBreaker } from "./breaker.js";
import type { OrderReads } from "./order-view.js";
import type { RefundSweeper } from "./refunds.js";

/** What settling a payment needs. */
export interface PaymentDeps {
  db: OrdersDb;
  reads: OrderReads;
  bank: BankClient;
  breaker: PrimaryBankBreaker;
  /** Told when a charge turns out to be owed back (it landed after the order left `pending`). */
  refunds: Pick<RefundSweeper, "kick">;
  /** How long one request may hold a payment (covers every bank call it makes). */
  leaseMs: number;
  log: Logger;
}

/** A settled, successful payment. */
export interface PaymentOutcome {
  transactionId: string;
  bank: BankName;
  amountCents: number;
  paidAt: string;
  usedFallback: boolean;
}
