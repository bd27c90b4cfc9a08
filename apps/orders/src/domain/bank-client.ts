import { z } from "zod";

export type BankName = "primary" | "backup";

/**
 * How a bank call went wrong, as far as money is concerned:
 * - `declined`: the bank refused the card (402); final, nothing charged.
 * - `unavailable`: certainly not charged (a 503, or the connection was refused).
 * - `unknown`: maybe charged (timeout, dropped connection, odd answer): ask the bank.
 * - `expired`: refused, nothing charged, because it arrived after the lease it
 *   carried as `not_after`: whoever holds the payment now decides.
 */
export type BankFailure = "declined" | "unavailable" | "unknown" | "expired";

/** The one error the bank client throws. */
export class BankError extends Error {
  override readonly name = "BankError";
  constructor(
    readonly bank: BankName,
    readonly failure: BankFailure,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

const chargeSchema = z.object({
  transaction_id: z.string().min(1).max(128),
  payment_id: z.string(),
  bank: z.enum(["primary", "backup"]),
  amount_cents: z.number().int(),
  currency: z.string(),
  status: z.enum(["processing", "succeeded", "failed", "declined"]),
  created_at: z.string(),
  refunded_at: z.string().nullable().optional(),
});
export type BankCharge = z.infer<typeof chargeSchema>;

/** What a charge request carries. */
export interface ChargeRequest {
  paymentId: string;
  amountCents: number;
  currency: string;
  description?: string;
  /** Epoch ms after which the bank must refuse it: the caller's lease on the payment. */
  notAfter?: number;
}

/**
 * HTTP client of the payment provider (apps/bank). Node's fetch pools and
 * keeps connections alive; every call has its own timeout.
 */
export class BankClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  private async call(bank: BankName, path: string, init: RequestInit = {}) {
    try {
      return await fetch(`${this.baseUrl}/${bank}${path}`, {
        ...init,
        headers: { "content-type": "application/json", accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      // Refused: the request never reached the bank. Anything else may have.
      if (cause?.code === "ECONNREFUSED") {
        throw new BankError(bank, "unavailable", `${bank} bank unreachable`);
      }
      const timedOut = (error as Error).name === "TimeoutError";
      throw new BankError(
        bank,
        "unknown",
        timedOut ? `${bank} bank timed out` : `${bank} bank call failed`,
      );
    }
  }

  private async parseCharge(bank: BankName, response: Response): Promise<BankCharge> {
    const parsed = chargeSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new BankError(bank, "unknown", `${bank} bank sent an unreadable charge`);
    return parsed.data;
  }

  /** Charges once per payment id; throws BankError unless the charge succeeded. */
  async charge(bank: BankName, request: ChargeRequest): Promise<BankCharge> {
    const response = await this.call(bank, "/charges", {
      method: "POST",
      body: JSON.stringify({
        payment_id: request.paymentId,
        amount_cents: request.amountCents,
        currency: request.currency,
        description: request.description,
        not_after:
          request.notAfter === undefined ? undefined : new Date(request.notAfter).toISOString(),
      }),
    });
    if (response.status === 200 || response.status === 201) {
      const charge = await this.parseCharge(bank, response);
      if (charge.status === "succeeded" && charge.amount_cents === request.amountCents)
        return charge;
      throw new BankError(bank, "unknown", `${bank} bank answered a charge that did not succeed`);
    }
    if (response.status === 409) {
      const body = (await response.json().catch(() => null)) as { code?: unknown } | null;
      if (body?.code === "expired") {
        throw new BankError(bank, "expired", `${bank} bank: the charge came after its lease`, 409);
      }
      throw new BankError(bank, "unknown", `${bank} bank answered 409`, 409);
    }
    await response.body?.cancel();
    if (response.status === 402) throw new BankError(bank, "declined", "Payment declined", 402);
    if (response.status === 503) {
      throw new BankError(bank, "unavailable", `${bank} bank unavailable`, 503);
    }
    // 409 in progress, 5xx other than 503, anything unexpected: maybe charged.
    throw new BankError(
      bank,
      "unknown",
      `${bank} bank answered ${response.status}`,
      response.status,
    );
  }

  /** The bank's record of a payment id: the charge, null if it never saw it; BankError if it cannot tell. */
  async lookup(bank: BankName, paymentId: string): Promise<BankCharge | null> {
    const response = await this.call(bank, `/charges/${encodeURIComponent(paymentId)}`);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new BankError(
        bank,
        "unknown",
        `${bank} bank status look-up answered ${response.status}`,
      );
    }
    return this.parseCharge(bank, response);
  }

  /**
   * Pays a succeeded charge back (the bank refunds a payment id once; a
   * repeat is harmless). Throws BankError unless the bank confirms it.
   */
  async refund(bank: BankName, paymentId: string): Promise<BankCharge> {
    const response = await this.call(bank, `/charges/${encodeURIComponent(paymentId)}/refund`, {
      method: "POST",
      body: "{}",
    });
    if (response.status === 200) {
      const charge = await this.parseCharge(bank, response);
      if (charge.refunded_at) return charge;
      throw new BankError(bank, "unknown", `${bank} bank answered a refund without a date`);
    }
    await response.body?.cancel();
    throw new BankError(
      bank,
      response.status === 503 ? "unavailable" : "unknown",
      `${bank} bank refund answered ${response.status}`,
      response.status,
    );
  }
}
