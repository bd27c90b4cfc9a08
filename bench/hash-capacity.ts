import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// Each worker hashes once at cost 10, then compares in a loop for the given time.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptPath);
const hash = bcrypt.hashSync("maxim-password", workerData.cost);
const until = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < until) { bcrypt.compareSync("maxim-password", hash); n++; }
parentPort.postMessage(n);
`;

/**
 * What the password hash alone allows: bcryptjs compares per second at `cost`
 * with one worker per core, the ceiling for logins on this machine.
 */
export async function hashCapacity(
  cost: number,
  ms = 4_000,
): Promise<{ perSecond: number; cores: number }> {
  const cores = availableParallelism();
  const bcryptPath = new URL(import.meta.resolve("bcryptjs")).pathname.replace(
    /index\.js$/,
    "umd/index.js",
  );
  const counts = await Promise.all(
    Array.from(
      { length: cores },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(WORKER, { eval: true, workerData: { bcryptPath, cost, ms } });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  return { perSecond: Math.round((total / (ms / 1000)) * 10) / 10, cores };
}
