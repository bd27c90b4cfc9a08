import type { PaymentRow } from "../db/index.js";
import type { BankCharge, BankName } from "./bank-client.js";
import type { PaymentDeps } from "./payment-deps.js";

/** What a bank says it did with a payment id. */
export type Verdict =
  | { kind: "charged"; bank: BankName; charge: BankCharge }
  | { kind: "not_charged" | "unknown" | "declined" };

/** Asks one bank about the payment id: the only safe answer to a timeout. */
export async function ask(
  deps: PaymentDeps,
  payment: PaymentRow,
  bank: BankName,
): Promise<Verdict> {
  try {
    const charge = await deps.bank.lookup(bank, payment.paymentId);
    if (!charge || charge.status === "failed") return { kind: "not_charged" };
    if (charge.status === "declined") return { kind: "declined" };
    if (charge.status === "succeeded" && charge.amount_cents === payment.amountCents) {
      return { kind: "charged", bank, charge };
    }
    return { kind: "unknown" };
  } catch {
    return { kind: "unknown" };
  }
}

/** Asks every bank that may have seen the payment id; a charge anywhere wins. */
export async function reconcile(deps: PaymentDeps, payment: PaymentRow): Promise<Verdict> {
  const tried = (["primary", "backup"] as const).filter((b) =>
    b === "primary" ? payment.triedPrimary : payment.triedBackup,
  );
  const verdicts = await Promise.all(tried.map((bank) => ask(deps, payment, bank)));
  const charged = verdicts.find((v) => v.kind === "charged");
  if (charged) return charged;
  if (verdicts.some((v) => v.kind === "unknown")) return { kind: "unknown" };
  if (verdicts.some((v) => v.kind === "declined")) return { kind: "declined" };
  return { kind: "not_charged" };
}
