const KEYS_MAX = 10_000;

/**
 * Says yes to a key at most once per window, so an event a client can repeat
 * at will (an admin-only call refused) is audited once per window, not once
 * per request. Kept in memory, as the login_throttled dedup is: every instance
 * records at most one row per key and window, and a refusal costs no write.
 * The oldest keys are forgotten past ten thousand.
 */
export class OncePerWindow {
  /** When each key's window started. */
  readonly #started = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True when `key` has not been seen in the window ending at `now`; starts a new window then. */
  first(key: string, now: number): boolean {
    const started = this.#started.get(key);
    if (started !== undefined && now - started < this.windowMs && now >= started) return false;
    this.#started.delete(key);
    this.#started.set(key, now);
    if (this.#started.size > KEYS_MAX) this.#started.delete(this.#started.keys().next().value!);
    return true;
  }
}
