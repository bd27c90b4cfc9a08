import { describe, expect, it } from "vitest";
import type { Measurement } from "./load.js";
import { cpuNotes, evaluate, loginNotes, payloadNotes, report, verdict } from "./targets.js";

const row = (name: string, rps: number, p99 = 10): Measurement => ({
  name,
  rps,
  p50: 1,
  p99,
  errors: 0,
  non2xx: 0,
  total: rps * 10,
});

function rows(readRps: number, p99 = 10): Measurement[] {
  return [
    row("(e) relay limit", 10_000),
    row("(b) read via gateway, REST", readRps, p99),
    row("(b) read via gateway, tRPC", readRps, p99),
    row("(c) same read", 7_000),
    row("(a) login", 26),
    row("(b) tRPC read during the login storm", readRps, 60),
  ];
}

describe("evaluate", () => {
  it("passes when every ratio is met", () => {
    expect(evaluate(rows(6_000), { auth: 90 }, 27, 0).every((c) => c.ok)).toBe(true);
  });

  it("fails when the gateway falls under half the relay limit or p99 breaks 50 ms", () => {
    const failed = evaluate(rows(4_000, 80), { auth: 90 }, 27, 0)
      .filter((c) => !c.ok)
      .map((c) => c.name);
    expect(failed.some((n) => n.includes("(b)/(e)"))).toBe(true);
    expect(failed.some((n) => n.includes("p99 < 50"))).toBe(true);
    expect(failed.some((n) => n.includes("(b)/(c)"))).toBe(true);
  });

  it("fails on a fat process or a slow login", () => {
    const failed = evaluate(rows(6_000), { orders: 200 }, 40, 0)
      .filter((c) => !c.ok)
      .map((c) => c.name);
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.stringContaining("orders RSS"),
        expect.stringContaining("(a) login"),
      ]),
    );
  });

  it("judges the read with many orders against the relay limit measured beside it", () => {
    const big = (readRps: number, relayRps: number) => [
      ...rows(6_000),
      row("(e) relay limit, again, next to the read with 1,000,000 orders", relayRps),
      row("(b) tRPC read with 1,000,000 orders", readRps),
    ];
    const check = (all: Measurement[]) =>
      evaluate(all, { auth: 90 }, 27, 1_000_000).find((c) => c.name.startsWith("no drop"))!;
    // The machine slowed by a quarter for both: no drop.
    expect(check(big(4_500, 7_500)).ok).toBe(true);
    // The same read rate while the relay limit held: a real drop.
    expect(check(big(4_500, 10_000)).ok).toBe(false);
  });
});

describe("cpuNotes", () => {
  it("compares each read's CPU per request with the relay limit's, as information only", () => {
    const withCpu = rows(6_000).map((r) =>
      r.name.startsWith("(e)")
        ? { ...r, cpuUs: { client: 16, front: 47, backend: 15 } }
        : r.name.startsWith("(b) read via gateway, tRPC")
          ? { ...r, cpuUs: { client: 30, gateway: 75, orders: 51 } }
          : r,
    );
    expect(cpuNotes(withCpu)).toEqual([
      "(b) read via gateway, tRPC: 156 µs of CPU a request against 78 µs for (e), a ratio of 0.5 (information, not a target)",
    ]);
    expect(cpuNotes(rows(6_000))).toEqual([]);
    expect(evaluate(withCpu, { auth: 90 }, 27, 0)).toEqual(
      evaluate(rows(6_000), { auth: 90 }, 27, 0),
    );
  });
});

describe("payloadNotes", () => {
  it("compares each read with the relay replaying its answer, as information only", () => {
    const withReplay = [...rows(6_000), row("(e′) the same relay, replaying", 12_000)];
    expect(payloadNotes(withReplay)).toEqual([
      "(b) read via gateway, tRPC ÷ (e′): 0.5 (information, not a target)",
      "(b) read via gateway, REST ÷ (e′): 0.5 (information, not a target)",
    ]);
    expect(payloadNotes(rows(6_000))).toEqual([]);
    // Not a check: the targets are the same with or without it.
    expect(evaluate(withReplay, { auth: 90 }, 27, 0)).toEqual(
      evaluate(rows(6_000), { auth: 90 }, 27, 0),
    );
  });
});

describe("ratios of interleaved rows", () => {
  it("are the median of each round against the relay round beside it", () => {
    // The machine slows down over the rounds: each pair keeps the ratio 0.5,
    // while the medians of the rows would give 4,500 / 12,000 = 0.375.
    const e = { ...row("(e) relay limit", 12_000), rounds: [16_000, 12_000, 8_000] };
    const b = { ...row("(b) read via gateway, tRPC", 4_500), rounds: [8_000, 4_500, 4_000] };
    const restRow = { ...row("(b) read via gateway, REST", 4_000), rounds: [8_000, 6_000, 4_000] };
    const all = [e, restRow, b, ...rows(6_000).slice(3)];
    const named = (prefix: string) =>
      evaluate(all, { auth: 90 }, 27, 0).find((c) => c.name.startsWith(prefix));
    expect(named("(b) read via gateway, tRPC: (b)/(e)")?.value).toBe("0.5 (rounds 0.38–0.5)");
    expect(named("(b) read via gateway, REST: (b)/(e)")?.value).toBe("0.5");
  });

  it("pair the read through the gateway with the direct read of the same round", () => {
    // The machine is fast in round 1 and slow in round 3: paired, the gateway
    // keeps 0.8 of the direct read; the rows' medians would say 4,000 / 8,000.
    const trpc = { ...row("(b) read via gateway, tRPC", 4_000), rounds: [8_000, 4_000, 3_200] };
    const direct = { ...row("(c) same read", 8_000), rounds: [10_000, 8_000, 4_000] };
    const all = rows(6_000).map((r) =>
      r.name.startsWith("(b) read via gateway, tRPC")
        ? trpc
        : r.name.startsWith("(c)")
          ? direct
          : r,
    );
    const check = evaluate(all, { auth: 90 }, 27, 0).find((c) => c.name.startsWith("(b)/(c)"))!;
    expect(check).toMatchObject({ ok: true, value: "0.8 (rounds 0.5–0.8)", roundsDisagree: true });
  });

  it("say when their rounds fell on both sides of the target, and only then", () => {
    const e = { ...row("(e) relay limit", 10_000), rounds: [10_000, 10_000, 10_000] };
    const withRounds = (tRpc: number[]) => [
      e,
      { ...row("(b) read via gateway, REST", 6_000), rounds: [6_000, 6_000, 6_000] },
      { ...row("(b) read via gateway, tRPC", tRpc[1]!), rounds: tRpc },
      ...rows(6_000).slice(3),
    ];
    const tRpcCheck = (tRpc: number[]) =>
      evaluate(withRounds(tRpc), { auth: 90 }, 27, 0).find((c) =>
        c.name.startsWith("(b) read via gateway, tRPC: (b)/(e)"),
      )!;
    const split = tRpcCheck([4_000, 4_800, 6_000]);
    expect(split).toMatchObject({ ok: false, roundsDisagree: true });
    expect(verdict(split)).toBe("FAIL (rounds disagree)");
    const clear = tRpcCheck([5_200, 5_500, 6_000]);
    expect(clear).toMatchObject({ ok: true, roundsDisagree: false });
    expect(verdict(clear)).toBe("PASS");
    // RESULTS.md says it too.
    const text = report({
      machine: "test",
      durationS: 10,
      rounds: { count: 3, seconds: 5 },
      stealPercent: 0,
      rows: withRounds([4_000, 4_800, 6_000]),
      rss: {},
      hash: { perSecond: 27, cores: 2 },
      checks: [split],
      notes: [],
      command: "npm run bench",
    });
    expect(text).toContain(
      "| **FAIL** (rounds disagree) | (b) read via gateway, tRPC: (b)/(e) ≥ 0.5 | 0.48 (rounds 0.4–0.6) |",
    );
  });
});

describe("loginNotes", () => {
  it("splits a login's CPU into the hash and the rest, beside the relay at the same rate", () => {
    const all = [
      { ...row("(e) relay limit", 20_000), cpuUs: { client: 16, front: 47, backend: 15 } },
      ...rows(6_000).slice(1),
      { ...row("(e″) the bare relay at the logins' rate (26 req/s)", 26), cpuUs: { front: 900 } },
    ];
    all[4] = {
      ...all[4]!,
      cpuUs: { client: 500, gateway: 1_500, users: 68_000, auth: Number.NaN },
    };
    expect(loginNotes(all, { perSecond: 32, cores: 2 })).toEqual([
      "(a) CPU per login: 70 ms, of which the hash alone takes 62.5 ms (2 cores ÷ 32/s) and the rest 7.5 ms; the bare relay at the logins' rate (e″) costs 0.9 ms a request, against 78 µs at its limit (information, not a target)",
    ]);
    // Without the slow relay row, or without a measured hash, nothing to say.
    expect(loginNotes(rows(6_000), { perSecond: 32, cores: 2 })).toEqual([]);
    expect(loginNotes(all, { perSecond: Number.NaN, cores: 2 })).toEqual([]);
  });
});
