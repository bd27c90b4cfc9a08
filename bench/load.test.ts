import { describe, expect, it } from "vitest";
import { combineRounds, type Measurement } from "./load.js";
import { stealShare } from "./steal.js";

const round = (rps: number, p99: number, errors = 0): Measurement => ({
  name: "(b) read",
  rps,
  p50: Math.round(p99 / 2),
  p99,
  errors,
  non2xx: 0,
  total: rps * 5,
});

describe("combineRounds", () => {
  it("keeps the median round of each figure and every error", () => {
    const row = combineRounds([round(1_000, 90), round(2_000, 40, 1), round(1_800, 50)]);
    expect(row).toMatchObject({ rps: 1_800, p99: 50, p50: 25, errors: 1, total: 24_000 });
    expect(row.rounds).toEqual([1_000, 2_000, 1_800]);
  });

  it("keeps the median CPU per request of each process", () => {
    const withCpu = (rps: number, orders: number) => ({ ...round(rps, 10), cpuUs: { orders } });
    const row = combineRounds([withCpu(1, 500), withCpu(2, 700), withCpu(3, 400)]);
    expect(row.cpuUs).toEqual({ orders: 500 });
  });

  it("averages the middle two of an even count", () => {
    expect(combineRounds([round(1_000, 10), round(3_000, 30)]).rps).toBe(2_000);
  });
});

describe("stealShare", () => {
  it("is the steal column's share of all ticks between two samples", () => {
    const before = [100, 0, 50, 800, 0, 0, 0, 50, 0, 0];
    const after = [400, 0, 150, 1_300, 0, 0, 0, 150, 0, 0];
    // 300 user + 100 system + 500 idle + 100 steal = 1000 ticks, 100 stolen
    expect(stealShare(before, after)).toBe(10);
    expect(stealShare(null, after)).toBeNull();
  });
});
