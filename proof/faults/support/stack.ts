import { type ServiceName, type Stack, type StackOptions, startStack } from "@shop/stack";
import { onTestFailed } from "vitest";

/** The seeded demo accounts (ids and passwords), as the users service seeds them. */
export { SEEDED } from "@shop/users/testing";

/**
 * Settings every fault stack shares: cheap hashing, and the gateway's
 * per-address login/refresh budgets raised above what the load sends (they are
 * the abuse suite's subject; all our load comes from one address).
 */
const FAST_ENV: Record<string, string> = {
  BCRYPT_COST: "4",
  LOGIN_RATE_LIMIT: "100000",
  REFRESH_RATE_LIMIT: "100000",
};

/** A running stack plus the tail of each process's output, printed when a test fails. */
export interface FaultStack extends Stack {
  /** The last lines each process wrote (warnings and errors: LOG_LEVEL is warn). */
  tail(service: ServiceName): string[];
}

const TAIL_LINES = 40;

/**
 * Starts the built processes for one fault file on its own ports. Every file
 * takes its own `basePort` (7300, 7310, …: never the defaults 5000-5005, nor
 * the benchmark's 7100) so a stray process of one file cannot answer another.
 */
export async function startFaultStack(
  options: Omit<StackOptions, "onLine"> & { env?: Record<string, string> },
): Promise<FaultStack> {
  const tails = new Map<ServiceName, string[]>();
  let stack: Stack;
  try {
    stack = await startStack({
      services: ["bank", "users", "auth", "orders", "gateway"],
      ...options,
      env: { ...FAST_ENV, ...options.env },
      onLine: (service, line) => {
        const lines = tails.get(service) ?? [];
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
        tails.set(service, lines);
      },
    });
  } catch (error) {
    // Usually a missing or stale build: say so, with what the process printed.
    const said = [...tails].map(([service, lines]) => `--- ${service}\n${lines.join("\n")}`);
    throw new Error(
      `${(error as Error).message} (the suite runs each app's dist: \`npx turbo run build\` first)\n${said.join("\n")}`,
      { cause: error },
    );
  }
  return { ...stack, tail: (service) => tails.get(service) ?? [] };
}

/** Inside a test: on failure, print what the processes said, for the post-mortem. */
export function dumpLogsOnFailure(stack: FaultStack | undefined): void {
  onTestFailed(() => {
    if (!stack) return;
    for (const service of ["bank", "users", "auth", "orders", "gateway"] as const) {
      const lines = stack.tail(service);
      if (lines.length > 0)
        console.log(`--- ${service} (last ${lines.length} lines)\n${lines.join("\n")}`);
    }
  });
}

/** One short line per phase: the suite is watched while it runs. */
export function phase(file: string, message: string): void {
  console.log(`[faults:${file}] ${message}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
