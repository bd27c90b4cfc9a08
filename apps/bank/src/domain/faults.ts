import { z } from "zod";

export const bankNameSchema = z.enum(["primary", "backup"]);
export type BankName = z.infer<typeof bankNameSchema>;

/** Faults a bank injects into its charge calls. */
export interface Faults {
  /** Fail this many coming charge calls with a 503 (the seed's "fail the first N"). */
  failNext: number;
  /** Probability (0..1) that any other charge call fails with a 503. */
  failureRate: number;
  /** Delay added to every charge call, after the charge is recorded as processing. */
  latencyMs: number;
  /** Answer every call, status look-ups included, with a 503. */
  down: boolean;
  /** Decline (402) any charge above this amount; null: never decline. */
  declineOverCents: number | null;
}

export const NO_FAULTS: Faults = {
  failNext: 0,
  failureRate: 0,
  latencyMs: 0,
  down: false,
  declineOverCents: null,
};

/** The body of `POST /control`, snake_case like the rest of the bank's wire format. */
export const faultUpdateSchema = z.strictObject({
  bank: bankNameSchema,
  fail_next: z.number().int().min(0).max(1_000_000).optional(),
  failure_rate: z.number().min(0).max(1).optional(),
  latency_ms: z.number().int().min(0).max(120_000).optional(),
  down: z.boolean().optional(),
  decline_over_cents: z.number().int().min(0).nullable().optional(),
});
export type FaultUpdate = z.infer<typeof faultUpdateSchema>;

/** The faults in force, per bank, as the control route shows them. */
export function faultsView(faults: Faults) {
  return {
    fail_next: faults.failNext,
    failure_rate: faults.failureRate,
    latency_ms: faults.latencyMs,
    down: faults.down,
    decline_over_cents: faults.declineOverCents,
  };
}

/**
 * In-memory fault switches of both banks. Faults are test-double state, not
 * data: they are not persisted, and a restart goes back to the env settings.
 */
export class FaultBoard {
  private readonly state: Record<BankName, Faults>;

  constructor(
    initial: Record<BankName, Faults>,
    private readonly random: () => number = Math.random,
  ) {
    this.state = { primary: { ...initial.primary }, backup: { ...initial.backup } };
  }

  get(bank: BankName): Readonly<Faults> {
    return this.state[bank];
  }

  update(update: FaultUpdate): void {
    const faults = this.state[update.bank];
    if (update.fail_next !== undefined) faults.failNext = update.fail_next;
    if (update.failure_rate !== undefined) faults.failureRate = update.failure_rate;
    if (update.latency_ms !== undefined) faults.latencyMs = update.latency_ms;
    if (update.down !== undefined) faults.down = update.down;
    if (update.decline_over_cents !== undefined) {
      faults.declineOverCents = update.decline_over_cents;
    }
  }

  /** Clears every fault (not back to the env settings: "reset" means a healthy bank). */
  reset(): void {
    this.state.primary = { ...NO_FAULTS };
    this.state.backup = { ...NO_FAULTS };
  }

  /** Decides, once per charge call, whether this call fails; consumes a `failNext` slot. */
  drawFailure(bank: BankName): boolean {
    const faults = this.state[bank];
    if (faults.failNext > 0) {
      faults.failNext -= 1;
      return true;
    }
    return faults.failureRate > 0 && this.random() < faults.failureRate;
  }

  view() {
    return { primary: faultsView(this.state.primary), backup: faultsView(this.state.backup) };
  }
}
