/**
 * Runs `workers` loops of `step` until `until()` says stop or `maxMs` passes,
 * whichever comes first: load is always bounded, even when a test fails to
 * signal the end. A short pause between steps leaves the (shared, busy)
 * machine some air; the point is concurrency against a fault, not throughput.
 */
export async function runWorkers(options: {
  workers: number;
  maxMs: number;
  until?: () => boolean;
  pauseMs?: number;
  step: (worker: number, iteration: number) => Promise<void>;
}): Promise<void> {
  const deadline = Date.now() + options.maxMs;
  const pause = options.pauseMs ?? 5;
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline && !options.until?.(); i++) {
        await options.step(worker, i);
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }),
  );
}
