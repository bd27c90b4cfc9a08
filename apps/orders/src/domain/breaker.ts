import type { Logger } from "@shop/kit";
import CircuitBreaker from "opossum";
import type { BankCharge, BankClient, ChargeRequest } from "./bank-client.js";
import { BankError } from "./bank-client.js";

/** The breaker as the SPA shows it. */
export interface BreakerStatus {
  state: "closed" | "open" | "half_open";
  failures: number;
  calls: number;
  threshold: number;
  resetAfterS: number;
  retryInS: number | null;
}

/**
 * The primary bank behind opossum's circuit breaker. Opossum owns the states,
 * the reset timer and the single half-open trial call; the trip rule is the
 * seed's, "open after N failures in a row", which opossum's rolling error
 * percentage cannot express, so we count consecutive failures and open it.
 * A decline or another 4xx is the bank answering: not a failure.
 */
export class PrimaryBankBreaker {
  private readonly breaker: CircuitBreaker<[ChargeRequest], BankCharge>;
  private consecutiveFailures = 0;
  private calls = 0;
  private openedAt = 0;

  constructor(
    bank: BankClient,
    private readonly options: { threshold: number; resetAfterMs: number },
    log: Logger,
  ) {
    this.breaker = new CircuitBreaker((request: ChargeRequest) => bank.charge("primary", request), {
      name: "primary-bank",
      // The bank client enforces its own per-call timeout (and aborts the request).
      timeout: false,
      resetTimeout: options.resetAfterMs,
      // Never trip on the rolling percentage (see the class comment): it could
      // pass 100% when a call fired before the rolling window moved on fails
      // after it, so the window is never "full" enough for opossum to judge.
      // (Half-open still re-opens on a failed trial: opossum checks that first.)
      errorThresholdPercentage: 100,
      volumeThreshold: Number.MAX_SAFE_INTEGER,
      errorFilter: (error: unknown) =>
        error instanceof BankError &&
        error.httpStatus !== undefined &&
        error.httpStatus >= 400 &&
        error.httpStatus < 500,
      enableSnapshots: false,
    });
    this.breaker.on("fire", () => {
      this.calls += 1;
    });
    this.breaker.on("success", () => {
      this.consecutiveFailures = 0;
    });
    this.breaker.on("failure", () => {
      this.consecutiveFailures += 1;
      if (this.breaker.closed && this.consecutiveFailures >= options.threshold) this.breaker.open();
    });
    this.breaker.on("open", () => {
      this.openedAt = Date.now();
      log.warn({ failures: this.consecutiveFailures }, "primary bank breaker opened");
    });
    this.breaker.on("halfOpen", () => log.info("primary bank breaker half-open: one trial call"));
    this.breaker.on("close", () => {
      this.consecutiveFailures = 0;
      log.info("primary bank breaker closed");
    });
  }

  /** Charges through the breaker; rejects with opossum's EOPENBREAKER when open. */
  charge(request: ChargeRequest): Promise<BankCharge> {
    return this.breaker.fire(request);
  }

  status(): BreakerStatus {
    const state = this.breaker.opened ? "open" : this.breaker.halfOpen ? "half_open" : "closed";
    const resetAfterS = this.options.resetAfterMs / 1000;
    const remainingMs = this.openedAt + this.options.resetAfterMs - Date.now();
    return {
      state,
      failures: this.consecutiveFailures,
      calls: this.calls,
      threshold: this.options.threshold,
      resetAfterS,
      retryInS: state === "open" ? Math.max(0, Math.ceil(remainingMs / 1000)) : null,
    };
  }

  /** Stops opossum's timers. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** True when `error` is opossum refusing a call because the breaker is open. */
export function isBreakerOpen(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "EOPENBREAKER";
}
