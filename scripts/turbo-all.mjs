#!/usr/bin/env node
// `npm start` / `npm run dev`: runs a persistent turbo task in every app with
// one shared DATA_DIR. turbo starts each app in its own folder, so a relative
// DATA_DIR is made absolute here, from where npm was run (default ./data).
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const [task, ...rest] = process.argv.slice(2);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this launcher before turbo starts, not by a task
const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR ?? "data");
const child = spawn("turbo", ["run", task, "--log-prefix=task", "--concurrency=20", ...rest], {
  stdio: "inherit",
  env: { ...process.env, DATA_DIR: dataDir },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
