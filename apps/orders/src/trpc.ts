import { createServiceTRPC } from "@shop/kit";
import type { OrdersDb } from "./db/index.js";
import type { BankClient } from "./domain/bank-client.js";
import type { PrimaryBankBreaker } from "./domain/breaker.js";
import type { OrderReads } from "./domain/order-view.js";
import type { Config } from "./env.js";

/** What every procedure gets in `ctx.deps`. */
export interface Deps {
  db: OrdersDb;
  /** The hot read statements, prepared once. */
  reads: OrderReads;
  config: Config;
  bank: BankClient;
  breaker: PrimaryBankBreaker;
}

const t = createServiceTRPC<Deps>();

export const router = t.router;
export const protectedProcedure = t.protectedProcedure;
