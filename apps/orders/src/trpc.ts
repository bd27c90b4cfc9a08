import { createServiceTRPC } from "@shop/kit";
import type { OrdersDb } from "./db/index.js";
import type { BankClient } from "./domain/bank-client.js";
import type { PrimaryBankBreaker } from "./domain/breaker.js";
import type { OrderReads } from "./domain/order-view.js";
import type { RefundSweeper } from "./domain/refunds.js";
import type { Config } from "./env.js";

/** What every procedure gets in `ctx.deps`. */
export interface Deps {
  db: OrdersDb;
  /** The hot read statements, prepared once. */
  reads: OrderReads;
  config: Config;
  bank: BankClient;
  breaker: PrimaryBankBreaker;
  /** Pays back owed refunds; kicked whenever one becomes owed. */
  refunds: Pick<RefundSweeper, "kick">;
}

const t = createServiceTRPC<Deps>();

export const router = t.router;
export const protectedProcedure = t.protectedProcedure;
