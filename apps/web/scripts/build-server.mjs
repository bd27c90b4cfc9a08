#!/usr/bin/env node
// Bundles the web server (server/index.ts) into dist-server/index.js with esbuild.
// Workspace packages (@shop/*) are TypeScript sources, so they are bundled in;
// registry packages stay external and load from node_modules (as tooling/build does).
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist-server");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "server/index.ts")],
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "external-registry-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          // Marked side-effect free so the kit's unused modules (database, tRPC, jose) and
          // their imports drop out: the web server loads only what it runs.
          args.path.startsWith("@shop/")
            ? undefined
            : { path: args.path, external: true, sideEffects: false },
        );
      },
    },
  ],
});
console.log("built dist-server/index.js");
