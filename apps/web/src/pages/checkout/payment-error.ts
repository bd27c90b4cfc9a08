import type { Messages } from "../../i18n/en.js";
import { answerLost, errorInfo, errorText } from "../../lib/errors.js";

/**
 * The same payment still running (a reload mid-payment, another tab): orders
 * answers CONFLICT with a wait. That is not a failure: ask again with the same key.
 */
export function inProgress(error: unknown): boolean {
  const info = errorInfo(error);
  return info.code === "CONFLICT" && info.retryAfterSeconds !== null;
}

// Orders is still finding out what became of a charge (it asks the bank on every try):
// "retry with the same idempotency key", it says, with a short wait.
const BEING_CHECKED = new Set(["outcome_unknown", "earlier_payment_unresolved"]);

function beingChecked(error: unknown): boolean {
  const { code, reason } = errorInfo(error);
  return code === "SERVICE_UNAVAILABLE" && reason !== null && BEING_CHECKED.has(reason);
}

/**
 * Whether the checkout asks again by itself, with the same key, after
 * `failures` failed tries: while the payment is running or its outcome is
 * being checked, so an answer lost once does not leave the person to guess.
 */
export function retryPayment(failures: number, error: unknown): boolean {
  if (inProgress(error)) return failures < 15;
  // Each check waits on the banks: after a few, the person decides (Try again, same key).
  return beingChecked(error) && failures < 5;
}

/**
 * What a failed payment means for the person, said as precisely as the server
 * knows it: declined, both banks down (nothing charged), or an outcome nobody
 * knows yet (maybe charged; the retry repeats the same payment).
 */
export function paymentErrorText(error: unknown, t: Messages): string {
  if (inProgress(error)) return t.checkout.inProgress;
  const { code, reason } = errorInfo(error);
  // The charge may have been made: saying "nothing happened" would be a guess.
  if (answerLost(error)) return t.checkout.outcomeUnknown;
  if (code === "SERVICE_UNAVAILABLE") {
    if (reason === "banks_unavailable") return t.checkout.banksDown;
    if (reason === "outcome_unknown") return t.checkout.outcomeUnknown;
    if (reason === "earlier_payment_unresolved") return t.checkout.earlierUnresolved;
  }
  return errorText(error, t, {
    PAYMENT_REQUIRED: t.checkout.declined,
    CONFLICT: t.checkout.notPayable,
  });
}
