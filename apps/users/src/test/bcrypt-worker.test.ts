import bcrypt from "bcryptjs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BCRYPT_WORKER } from "../paths.js";

/** The worker's tasks, as piscina calls them (the module is plain JavaScript). */
interface WorkerTasks {
  hash(input: { password: string; cost: number }): { value: string; ms: number };
  compare(input: {
    password: string;
    hash: string;
    startBy?: number;
  }): { value: boolean; ms: number } | null;
}

let worker: WorkerTasks;
let stored: string;
beforeAll(async () => {
  // Loaded by URL, as piscina loads it; it shares this thread's bcryptjs.
  worker = (await import(BCRYPT_WORKER)) as WorkerTasks;
  stored = worker.hash({ password: "secret", cost: 4 }).value;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("the bcrypt worker", () => {
  it("drops a compare reached after its start-by time without hashing", () => {
    const compares = vi.spyOn(bcrypt, "compareSync");
    expect(
      worker.compare({ password: "secret", hash: stored, startBy: Date.now() - 1 }),
    ).toBeNull();
    expect(compares).not.toHaveBeenCalled();
  });

  it("runs a compare reached in time, and times it", () => {
    const compares = vi.spyOn(bcrypt, "compareSync");
    const answer = worker.compare({
      password: "secret",
      hash: stored,
      startBy: Date.now() + 60_000,
    });
    expect(answer).toEqual({ value: true, ms: expect.any(Number) });
    expect(answer!.ms).toBeGreaterThan(0);
    expect(compares).toHaveBeenCalledTimes(1);
  });

  it("runs a compare without a start-by time, as before deadlines existed", () => {
    const compares = vi.spyOn(bcrypt, "compareSync");
    expect(worker.compare({ password: "wrong", hash: stored })?.value).toBe(false);
    expect(compares).toHaveBeenCalledTimes(1);
  });
});
