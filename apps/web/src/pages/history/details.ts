import type { Messages } from "../../i18n/en.js";

type Reasons = Messages["history"]["reasons"];
type Statuses = Messages["history"]["statuses"];

// Said by another detail already: the bank that paid names the fallback, and
// amounts are formatted in their currency.
const IMPLIED = new Set(["usedFallback", "currency"]);

/**
 * A history row's details, in words. Known facts (order, amount, bank,
 * transaction, statuses, a failure's reason) are localised; anything else is
 * shown as key: value, so a new detail the server adds is still visible.
 */
export function describeDetails(
  details: Record<string, unknown>,
  { t, money }: { t: Messages; money(cents: number): string },
): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value === null || value === undefined || IMPLIED.has(key)) continue;
    if (key === "orderId") parts.push(`${t.history.order} #${value}`);
    else if (/Cents$/.test(key) && typeof value === "number") parts.push(money(value));
    else if (key === "bank")
      parts.push(value === "backup" ? t.checkout.backup : t.checkout.primary);
    else if (key === "transactionId") parts.push(`${t.history.transaction} ${String(value)}`);
    else if (key === "ownerId") parts.push(`${t.history.owner} #${String(value)}`);
    else if (key === "reason" && typeof value === "string")
      parts.push(t.history.reasons[value as keyof Reasons] ?? value);
    else if ((key === "from" || key === "to" || key === "status") && typeof value === "string")
      parts.push(
        `${key === "from" ? "← " : key === "to" ? "→ " : ""}${t.history.statuses[value as keyof Statuses] ?? value}`,
      );
    else if (typeof value !== "object") parts.push(`${key}${t.app.colon}${String(value)}`);
  }
  return parts.join(" · ");
}
