import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** An answer for the baseline's backend to give instead of its fixed one. */
export interface ReplayedAnswer {
  headers: Record<string, string>;
  body: string;
}

function start(file: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), args, { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/**
 * The relay limit of this machine: a plain node:http front relaying over a
 * keep-alive agent to a plain node:http backend, two processes. The backend
 * answers a small fixed JSON, or `replay` when given.
 */
export async function startRelayBaseline(replay?: ReplayedAnswer): Promise<{
  url: string;
  pids: { front: number | undefined; backend: number | undefined };
  stop(): void;
}> {
  const dir = replay ? mkdtempSync(join(tmpdir(), "shop-bench-")) : null;
  const file = dir ? join(dir, "answer.json") : null;
  if (file) writeFileSync(file, JSON.stringify(replay));
  const backend = await start("./baseline/backend.mjs", file ? ["0", file] : ["0"]);
  const front = await start("./baseline/front.mjs", ["0", String(backend.port)]);
  return {
    url: `http://127.0.0.1:${front.port}/trpc/orders/list`,
    pids: { front: front.child.pid, backend: backend.child.pid },
    stop() {
      front.child.kill();
      backend.child.kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
