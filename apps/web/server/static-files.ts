import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { errorCode, StartupError } from "@shop/kit";

/** One built file, held in memory with its precompressed forms. */
export interface StaticFile {
  body: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};
const COMPRESSIBLE = new Set([
  ".html",
  ".js",
  ".css",
  ".svg",
  ".json",
  ".webmanifest",
  ".txt",
  ".map",
]);

/** Vite names what it builds under assets/ by content hash: such a file never changes. */
function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith("/assets/")) return "public, max-age=31536000, immutable";
  if (urlPath === "/index.html") return "no-cache";
  return "public, max-age=3600";
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Loads the built SPA once at start-up: every file in memory, compressed once
 * with brotli and gzip, so serving is a map look-up and never touches the disk.
 */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const notBuilt = `No index.html in ${dir}: build the SPA first (npm run build -w apps/web)`;
  let paths: string[];
  try {
    paths = [...walk(dir)];
  } catch (error) {
    if (errorCode(error) === "ENOENT") throw new StartupError(notBuilt);
    throw error;
  }
  for (const path of paths) {
    const urlPath = `/${relative(dir, path).split(sep).join("/")}`;
    const extension = extname(path).toLowerCase();
    const body = readFileSync(path);
    const file: StaticFile = {
      body,
      type: TYPES[extension] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      cacheControl: cacheControlFor(urlPath),
    };
    if (COMPRESSIBLE.has(extension) && body.length > 512) {
      file.br = brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      });
      file.gzip = gzipSync(body, { level: 9 });
    }
    files.set(urlPath, file);
  }
  if (!files.has("/index.html")) {
    throw new StartupError(notBuilt);
  }
  return files;
}

/** The best encoding of `file` the client accepts. */
export function pickEncoding(
  file: StaticFile,
  acceptEncoding: string | undefined,
): "br" | "gzip" | null {
  const accepted = (acceptEncoding ?? "").toLowerCase();
  if (file.br && /\bbr\b/.test(accepted)) return "br";
  if (file.gzip && /\bgzip\b/.test(accepted)) return "gzip";
  return null;
}
