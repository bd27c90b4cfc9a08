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
}

/** Runs autocannon against 127.0.0.1 for a bounded time and keeps the figures that matter. */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(options.url))
    throw new Error("load is only ever sent to 127.0.0.1");
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationS,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
    requests: options.requests,
  });
  return {
    name: options.name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
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
  };
}

/** A markdown table of measurements. */
export function table(rows: Measurement[]): string {
  const head =
    "| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | requests | req/s per round |\n|---|---:|---:|---:|---:|---:|---:|---|";
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.total} | ${r.rounds?.join(" / ") ?? ""} |`,
  );
  return [head, ...lines].join("\n");
}
