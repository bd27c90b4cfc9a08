import { readFileSync } from "node:fs";
import autocannon from "autocannon";

/** One measured scenario. */
export interface Measurement {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** Each round's req/s, when the row combines interleaved rounds. */
  rounds?: number[];
  /** CPU time per request of each process asked about, and of the load client, in µs. */
  cpuUs?: Record<string, number>;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  name: string;
  url: string;
  connections?: number;
  durationS: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** A request sequence per connection (autocannon `requests`), for chained calls. */
  requests?: autocannon.Request[];
  /** Processes whose CPU time per request to report, by name. */
  pids?: Record<string, number | undefined>;
  /** Requests per second over all connections; default: as fast as answered. */
  overallRate?: number;
}

/** A process's user + system CPU time so far, in µs (Linux /proc); NaN when unknown. */
function processCpuUs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

function cpuSnapshot(pids: Record<string, number | undefined>): Record<string, number> {
  const usage = process.cpuUsage();
  const snapshot: Record<string, number> = { client: usage.user + usage.system };
  for (const [name, pid] of Object.entries(pids)) snapshot[name] = processCpuUs(pid);
  return snapshot;
}

/** Runs autocannon against 127.0.0.1 for a bounded time and keeps the figures that matter. */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(options.url))
    throw new Error("load is only ever sent to 127.0.0.1");
  const before = cpuSnapshot(options.pids ?? {});
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationS,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
    requests: options.requests,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  const after = cpuSnapshot(options.pids ?? {});
  const total = Math.max(1, result.requests.total);
  const cpuUs = Object.fromEntries(
    Object.keys(after).map((name) => [name, Math.round((after[name]! - before[name]!) / total)]),
  );
  return {
    name: options.name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    cpuUs,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
};

/**
 * One row from the rounds of an interleaved scenario: the median of each
 * figure (so one round disturbed by a noisy neighbour does not decide), the
 * sums of errors and requests, and each round's req/s for the record.
 */
export function combineRounds(rounds: Measurement[]): Measurement {
  const [first] = rounds;
  if (!first) throw new Error("no rounds to combine");
  return {
    name: first.name,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    total: rounds.reduce((sum, r) => sum + r.total, 0),
    rounds: rounds.map((r) => r.rps),
    cpuUs: Object.fromEntries(
      Object.keys(first.cpuUs ?? {}).map((name) => [
        name,
        median(rounds.map((r) => r.cpuUs?.[name] ?? Number.NaN)),
      ]),
    ),
  };
}

/** A markdown table of measurements. */
export function table(rows: Measurement[]): string {
  const head =
    "| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | requests | req/s per round | CPU µs per request |\n|---|---:|---:|---:|---:|---:|---:|---|---|";
  const cpu = (r: Measurement) =>
    Object.entries(r.cpuUs ?? {})
      .filter(([, us]) => Number.isFinite(us))
      .map(([name, us]) => `${name} ${us}`)
      .join(", ");
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.total} | ${r.rounds?.join(" / ") ?? ""} | ${cpu(r)} |`,
  );
  return [head, ...lines].join("\n");
}
