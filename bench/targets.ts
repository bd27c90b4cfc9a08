import { type Measurement, table } from "./load.js";

/** One target and whether this run met it. */
export interface Check {
  name: string;
  ok: boolean;
  value: string;
  /**
   * A ratio of interleaved rows whose rounds fell on both sides of the
   * target: the verdict is the median round's, and the machine's speed moved
   * within the run.
   */
  roundsDisagree?: boolean;
}

const find = (rows: Measurement[], prefix: string) => rows.find((r) => r.name.startsWith(prefix));
const round2 = (x: number) => Math.round(x * 100) / 100;
const ratio = (a: number, b: number) => round2(a / b);

/** How one row compares with another, and, for interleaved rows, each round's ratio. */
interface Ratio {
  value: number;
  /** Each round's ratio, lowest first; empty unless both rows ran in the same rounds. */
  rounds: number[];
}

/**
 * How `b` compares with `e`: for rows measured in interleaved rounds, the
 * median of each round's ratio (every b round against the e round just before
 * it, a few seconds apart), so a drift of the machine's speed over the
 * minute the rounds take does not count; else the ratio of their req/s.
 */
function pairedRatio(b: Measurement, e: Measurement): Ratio {
  const pairs = b.rounds && e.rounds && b.rounds.length === e.rounds.length ? b.rounds.length : 0;
  if (pairs === 0) return { value: b.rps / e.rps, rounds: [] };
  const rounds = b.rounds!.map((rps, i) => rps / e.rounds![i]!).sort((x, y) => x - y);
  const mid = pairs >> 1;
  const value = pairs % 2 ? rounds[mid]! : (rounds[mid - 1]! + rounds[mid]!) / 2;
  return { value, rounds };
}

/** A check that a ratio is at least `min`, with its rounds' range when it has rounds. */
function ratioCheck(name: string, r: Ratio, min: number): Check {
  const low = r.rounds[0];
  const high = r.rounds.at(-1);
  const spread =
    low === undefined || high === undefined || round2(low) === round2(high)
      ? ""
      : ` (rounds ${round2(low)}–${round2(high)})`;
  return {
    name,
    ok: r.value >= min,
    value: `${round2(r.value)}${spread}`,
    roundsDisagree: spread !== "" && low! < min && high! >= min,
  };
}

/** The issue's targets, as ratios measured in the same run. */
export function evaluate(
  rows: Measurement[],
  rss: Record<string, number>,
  hashPerSecond: number,
  seeded: number,
): Check[] {
  const e = find(rows, "(e)")!;
  const rest = find(rows, "(b) read via gateway, REST")!;
  const trpc = find(rows, "(b) read via gateway, tRPC")!;
  const direct = find(rows, "(c)")!;
  const login = find(rows, "(a)")!;
  const storm = find(rows, "(b) tRPC read during")!;
  const big = find(rows, "(b) tRPC read with");
  const eAgain = find(rows, "(e) relay limit, again");
  const checks: Check[] = [];
  for (const b of [trpc, rest]) {
    checks.push(ratioCheck(`${b.name}: (b)/(e) ≥ 0.5`, pairedRatio(b, e), 0.5));
    checks.push({ name: `${b.name}: p99 < 50 ms`, ok: b.p99 < 50, value: `${b.p99} ms` });
    checks.push({
      name: `${b.name}: zero errors`,
      ok: b.errors + b.non2xx === 0,
      value: String(b.errors + b.non2xx),
    });
  }
  // Each round reads through the gateway and then straight to orders.
  checks.push(
    ratioCheck("(b)/(c) ≥ 0.6 (the gateway costs little)", pairedRatio(trpc, direct), 0.6),
  );
  checks.push({
    name: `(a) login within 10% of the hash alone (${hashPerSecond}/s)`,
    ok: login.rps >= 0.9 * hashPerSecond && login.errors + login.non2xx === 0,
    value: `${login.rps}/s = ${ratio(login.rps, hashPerSecond)}`,
  });
  checks.push({
    name: "reads during a login storm: p99 < 100 ms",
    ok: storm.p99 < 100,
    value: `${storm.p99} ms`,
  });
  if (big) {
    // Each read relative to the relay limit measured beside it, when it was.
    const before = pairedRatio(trpc, e).value;
    const after = pairedRatio(big, eAgain ?? e).value;
    checks.push({
      name: `no drop in (b) with ${seeded.toLocaleString("en")} orders (≥ 0.9 of before, each against the relay limit beside it)`,
      ok: after >= 0.9 * before && big.errors + big.non2xx === 0,
      value: String(ratio(after, before)),
    });
  }
  for (const [service, mb] of Object.entries(rss)) {
    checks.push({ name: `${service} RSS < 150 MB after the run`, ok: mb < 150, value: `${mb} MB` });
  }
  return checks;
}

/**
 * The reads against the relay replaying their own answer: information beside
 * the targets (which compare with the small fixed answer), not a target.
 */
export function payloadNotes(rows: Measurement[]): string[] {
  const replay = find(rows, "(e′)");
  if (!replay) return [];
  return ["(b) read via gateway, tRPC", "(b) read via gateway, REST"].flatMap((prefix) => {
    const b = find(rows, prefix);
    return b
      ? [`${b.name} ÷ (e′): ${round2(pairedRatio(b, replay).value)} (information, not a target)`]
      : [];
  });
}

const cpuSum = (row: Measurement) =>
  Object.values(row.cpuUs ?? {})
    .filter((us) => Number.isFinite(us))
    .reduce((a, b) => a + b, 0);

/**
 * The reads' CPU per request against the relay limit's, as information: all
 * processes and the load client share the cores, so the relay's CPU per
 * request over a read's is the ratio of requests/s the cores allow. It moves
 * less than requests/s when neighbours load the VM unevenly between rounds.
 */
export function cpuNotes(rows: Measurement[]): string[] {
  const limit = find(rows, "(e)");
  if (!limit?.cpuUs) return [];
  const limitUs = cpuSum(limit);
  return ["(b) read via gateway, tRPC", "(b) read via gateway, REST"].flatMap((prefix) => {
    const b = find(rows, prefix);
    const readUs = b?.cpuUs ? cpuSum(b) : 0;
    if (!b || !(readUs > 0)) return [];
    return [
      `${b.name}: ${Math.round(readUs)} µs of CPU a request against ${Math.round(limitUs)} µs for (e), a ratio of ${round2(limitUs / readUs)} (information, not a target)`,
    ];
  });
}

/**
 * Where a login's CPU goes beside the hash, as information: the hash's share
 * (what bcrypt alone takes per compare on every core), the rest, and what
 * the bare relay costs a request at the same rate, measured in the same run.
 */
export function loginNotes(
  rows: Measurement[],
  hash: { perSecond: number; cores: number },
): string[] {
  const login = find(rows, "(a)");
  const slow = find(rows, "(e″)");
  if (!login?.cpuUs || !slow?.cpuUs || !(hash.perSecond > 0)) return [];
  const hashMs = (hash.cores * 1000) / hash.perSecond;
  const loginMs = cpuSum(login) / 1000;
  const ms = (x: number) => `${Math.round(x * 10) / 10} ms`;
  const limit = find(rows, "(e)");
  const atLimit = limit?.cpuUs ? `, against ${Math.round(cpuSum(limit))} µs at its limit` : "";
  return [
    `(a) CPU per login: ${ms(loginMs)}, of which the hash alone takes ${ms(hashMs)} (${hash.cores} cores ÷ ${hash.perSecond}/s) and the rest ${ms(loginMs - hashMs)}; the bare relay at the logins' rate (e″) costs ${ms(cpuSum(slow) / 1000)} a request${atLimit} (information, not a target)`,
  ];
}

/** A check's verdict, said to be unsure when its rounds fell on both sides of the target. */
export function verdict(check: Check, pass = "PASS", fail = "FAIL"): string {
  const said = check.ok ? pass : fail;
  return check.roundsDisagree ? `${said} (rounds disagree)` : said;
}

/** bench/RESULTS.md */
export function report(r: {
  machine: string;
  durationS: number;
  rounds: { count: number; seconds: number };
  stealPercent: number | null;
  rows: Measurement[];
  rss: Record<string, number>;
  hash: { perSecond: number; cores: number };
  checks: Check[];
  notes: string[];
  command: string;
}): string {
  const checks = r.checks
    .map((c) => `| ${verdict(c, "pass", "**FAIL**")} | ${c.name} | ${c.value} |`)
    .join("\n");
  return `# Benchmark results

Command: \`${r.command}\` (builds, starts the stack on fresh data on 127.0.0.1, 50 connections unless said). The relay limit (e) and the reads (b), (c) run interleaved, ${r.rounds.count} rounds of ${r.rounds.seconds} s each, and so do (e) and the read after seeding the orders table; each such row shows the median round (p50 and p99 too). A ratio to the relay limit is the median of each round's ratio to the relay round run just before it, and (b)/(c) the median of each round's tRPC read against the direct read run just after it; the rounds' range follows it, and "rounds disagree" marks a verdict whose rounds fell on both sides of the target. The other scenarios run ${r.durationS} s once, logins after 5 s of unmeasured logins.
Machine: ${r.machine}. Date: ${new Date().toISOString()}. CPU time stolen by the hypervisor during the run: ${r.stealPercent ?? "unknown"}%.

${table(r.rows)}

Password hash alone (bcryptjs cost 10, one worker per core, ${r.hash.cores} cores, measured on the idle stack right before the logins): ${r.hash.perSecond} compares/s.

RSS after the run: ${Object.entries(r.rss)
    .map(([s, mb]) => `${s} ${mb} MB`)
    .join(", ")}.
${r.notes.map((note) => `\n- ${note}`).join("")}

| result | target | measured |
|---|---|---|
${checks}
`;
}
