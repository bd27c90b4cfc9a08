import type { Logger } from "@shop/kit";

/**
 * Runs a subclass's sweep at start, on demand and every `intervalMs`, one at
 * a time: a kick while one runs asks for one more run after it. A failed run
 * is logged and the next one tries again.
 */
export abstract class PeriodicSweep {
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly name: string,
    protected readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** One sweep; it returns early once `stopped()` says so. */
  protected abstract sweep(stopped: () => boolean): Promise<void>;

  start(): void {
    void this.kick();
    this.#timer = setInterval(() => void this.kick(), this.intervalMs);
    this.#timer.unref();
  }

  /** Runs a sweep now, or once more after the one running; resolves when done. */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.sweep(() => this.#stopped);
        } while (this.#again && !this.#stopped);
      } catch (error) {
        this.log.error({ err: error }, `${this.name} failed`);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Stops sweeping; waits for the run in flight, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
