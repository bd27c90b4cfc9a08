import { readFileSync } from "node:fs";

/** The machine's CPU time counters (`/proc/stat`'s `cpu` line), in ticks; null off Linux. */
export function cpuTimes(): number[] | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    return line.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
}

/**
 * The share of CPU time the hypervisor gave to other guests between two
 * samples (the `steal` column), in percent: how noisy the machine was.
 */
export function stealShare(before: number[] | null, after: number[] | null): number | null {
  if (!before || !after) return null;
  // user nice system idle iowait irq softirq steal (guest time is inside user)
  const delta = after.slice(0, 8).map((value, i) => value - (before[i] ?? 0));
  const total = delta.reduce((sum, value) => sum + value, 0);
  return total > 0 ? Math.round(((delta[7] ?? 0) / total) * 1000) / 10 : null;
}
