#!/usr/bin/env node
// Bundles a Node app (src/index.ts plus any src/cli/*.ts) into dist/ with esbuild,
// and copies src/workers/ (worker-thread entry points) to dist/workers/.
// Workspace packages (@shop/*) are TypeScript sources, so they are bundled in;
// every registry package stays external and is loaded from node_modules.
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = process.cwd();
const entryPoints = [join(root, "src/index.ts")];
const cliDir = join(root, "src/cli");
if (existsSync(cliDir)) {
  for (const file of readdirSync(cliDir)) {
    if (file.endsWith(".ts") && !file.endsWith(".test.ts")) entryPoints.push(join(cliDir, file));
  }
}

const externalRegistryPackages = {
  name: "external-registry-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@shop/") ? undefined : { path: args.path, external: true },
    );
  },
};

rmSync(join(root, "dist"), { recursive: true, force: true });
const started = performance.now();
await build({
  entryPoints,
  outdir: join(root, "dist"),
  outbase: join(root, "src"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  plugins: [externalRegistryPackages],
});
// Worker-thread entry points are plain .mjs files loaded by path at run time: ship them beside the bundle.
const workersDir = join(root, "src/workers");
if (existsSync(workersDir)) cpSync(workersDir, join(root, "dist/workers"), { recursive: true });
console.log(
  `built ${entryPoints.length} entr${entryPoints.length === 1 ? "y" : "ies"} in ${Math.round(performance.now() - started)} ms`,
);
