import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file. */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** The processes of the system, in start order (each depends only on earlier ones being reachable later). */
export const SERVICES = ["bank", "users", "auth", "orders", "gateway", "web"] as const;
export type ServiceName = (typeof SERVICES)[number];

const DEFAULT_OFFSETS: Record<ServiceName, number> = {
  web: 0,
  auth: 1,
  users: 2,
  orders: 3,
  gateway: 4,
  bank: 5,
};

/**
 * The node flags and entry of an app's `npm start` (`node [flags] entry`), so
 * tests and the benchmark run each process exactly as `npm start` does.
 */
export function startCommand(service: ServiceName): { flags: string[]; entry: string } {
  const dir = join(REPO_ROOT, "apps", service);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    scripts?: { start?: string };
  };
  const words = manifest.scripts?.start?.trim().split(/\s+/) ?? [];
  const entry = words.at(-1);
  if (words[0] !== "node" || !entry || entry.startsWith("-")) {
    throw new Error(`${service}: the start script is not "node [flags] entry"`);
  }
  return { flags: words.slice(1, -1), entry: join(dir, entry) };
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Port of the web app; the others follow as in production (web+1 auth … web+5 bank). */
  basePort: number;
  /** Which processes to run; default all. */
  services?: readonly ServiceName[];
  /** Extra environment for every process (BCRYPT_COST, BREAKER_RESET_S, …). */
  env?: Record<string, string>;
  /** Extra node flags per process, e.g. `{ orders: ["--cpu-prof"] }` to profile one. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Keep the data directory after stop (for post-mortems). */
  keepData?: boolean;
  /** Where each line of the processes' output goes; default: dropped. */
  onLine?: (service: ServiceName, line: string) => void;
  /** How long to wait for each /health, in ms. */
  startTimeoutMs?: number;
}

/** A running system. */
export interface Stack {
  dataDir: string;
  url: Record<ServiceName, string>;
  /** The process id of one service, for RSS and CPU readings. */
  pid(service: ServiceName): number | undefined;
  /** Sends a signal to one process (SIGKILL for a crash, SIGSTOP to hang it). */
  signal(service: ServiceName, signal: NodeJS.Signals): void;
  /** Starts one process again (after a kill) and waits until it is healthy. */
  restart(service: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the built processes (each app's dist) on 127.0.0.1 with one fresh
 * DATA_DIR, waits for every /health, and returns handles to crash or restart
 * them. Used by the e2e tests, the fault suite and the benchmark.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const services = options.services ?? SERVICES;
  const dataDir = mkdtempSync(join(tmpdir(), "shop-stack-"));
  const port = (s: ServiceName) => options.basePort + DEFAULT_OFFSETS[s];
  const url = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${port(s)}`])) as Record<
    ServiceName,
    string
  >;
  const sharedEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    // Production builds, but the suites sign in as the demo accounts.
    SEED_DEMO_USERS: "true",
    LOG_FORMAT: "json",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    AUTH_SERVICE_URL: url.auth,
    USER_SERVICE_URL: url.users,
    ORDERS_SERVICE_URL: url.orders,
    GATEWAY_URL: url.gateway,
    BANK_URL: url.bank,
    ALLOWED_ORIGINS: `${url.web},http://localhost:${port("web")}`,
    CORS_ORIGINS: `${url.web},http://localhost:${port("web")}`,
    COOKIE_SECURE: "false",
    ...options.env,
  };
  const children = new Map<ServiceName, ChildProcess>();

  function spawnOne(service: ServiceName): ChildProcess {
    const { flags, entry } = startCommand(service);
    const child = spawn(
      process.execPath,
      [...flags, ...(options.nodeArgs?.[service] ?? []), entry],
      {
        cwd: join(REPO_ROOT, "apps", service),
        env: { ...sharedEnv, PORT: String(port(service)) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = "";
      stream?.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) options.onLine?.(service, line);
      });
    }
    children.set(service, child);
    return child;
  }

  async function waitHealthy(service: ServiceName): Promise<void> {
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    const child = children.get(service);
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null)
        throw new Error(`${service} exited with code ${child.exitCode}`);
      try {
        const response = await fetch(`${url[service]}/health`, {
          signal: AbortSignal.timeout(1_000),
        });
        // The gateway's /health is 503 until every service is up; any answer means it listens.
        if (response.status < 500 || service === "gateway" || service === "web") return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${service} did not become healthy on ${url[service]}`);
  }

  async function stop(): Promise<void> {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolveStop) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
            child.once("exit", () => resolveStop());
            child.kill("SIGCONT");
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      ),
    );
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    for (const service of services) {
      spawnOne(service);
      await waitHealthy(service);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    dataDir,
    url,
    pid: (service) => children.get(service)?.pid,
    signal: (service, signal) => children.get(service)?.kill(signal),
    async restart(service) {
      const old = children.get(service);
      if (old && old.exitCode === null && old.signalCode === null) {
        await new Promise<void>((r) => {
          old.once("exit", () => r());
          old.kill("SIGKILL");
        });
      }
      spawnOne(service);
      await waitHealthy(service);
    },
    stop,
  };
}
