import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en.js";
import { fr } from "../../i18n/fr.js";
import { describeDetails } from "./details.js";

const money = (cents: number) => `€${(cents / 100).toFixed(2)}`;

describe("describeDetails", () => {
  it("says a payment in words, without the implied flags", () => {
    const paid = {
      transactionId: "PRI-abc",
      bank: "backup",
      amountCents: 19_999,
      usedFallback: true,
      currency: "EUR",
    };
    expect(describeDetails(paid, { t: en, money })).toBe(
      "Transaction PRI-abc · Backup bank · €199.99",
    );
    expect(describeDetails(paid, { t: fr, money })).toBe(
      "Transaction PRI-abc · Banque de secours · €199.99",
    );
  });

  it("localises a failure's reason and a status change, and keeps unknown facts visible", () => {
    expect(describeDetails({ reason: "declined", amountCents: 500 }, { t: en, money })).toBe(
      "card declined · €5.00",
    );
    expect(describeDetails({ from: "paid", to: "cancelled", ownerId: 3 }, { t: fr, money })).toBe(
      "← payée · → annulée · Propriétaire\u00a0: utilisateur #3",
    );
    // The payment sweep's verdict on a request that died before the bank answered.
    expect(describeDetails({ reason: "interrupted", amountCents: 500 }, { t: fr, money })).toBe(
      "interrompu avant la réponse de la banque, rien n'a été débité · €5.00",
    );
    expect(describeDetails({ reason: "interrupted" }, { t: en, money })).toBe(
      "interrupted before the bank answered, nothing charged",
    );
    // A reason or a detail the SPA does not know yet is still shown, as the server said it.
    expect(
      describeDetails({ reason: "new_reason", batch: 7, items: [{ id: 1 }] }, { t: en, money }),
    ).toBe("new_reason · batch: 7");
  });
});
