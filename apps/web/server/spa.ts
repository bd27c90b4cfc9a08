import type { MiddlewareHandler } from "hono";
import { pickEncoding, type StaticFile } from "./static-files.js";

/** A path whose last segment has an extension names a file, not a client route. */
const FILE_LIKE = /\/[^/]*\.[^/]*$/;

/**
 * Serves the built SPA from memory: hashed assets cached for a year,
 * index.html revalidated on every load, and index.html for any other path
 * without an extension, so client routes survive a reload.
 */
export function serveSpa(files: ReadonlyMap<string, StaticFile>): MiddlewareHandler {
  const index = files.get("/index.html")!;
  return async function serveSpaHandler(c) {
    const path = c.req.path;
    let file = files.get(path === "/" ? "/index.html" : path);
    if (!file) {
      if (FILE_LIKE.test(path)) return c.text("Not found", 404, { "cache-control": "no-store" });
      file = index;
    }
    const headers: Record<string, string> = {
      "content-type": file.type,
      "cache-control": file.cacheControl,
      etag: file.etag,
      vary: "accept-encoding",
    };
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304, headers);
    const encoding = pickEncoding(file, c.req.header("accept-encoding"));
    const body = encoding ? file[encoding]! : file.body;
    if (encoding) headers["content-encoding"] = encoding;
    headers["content-length"] = String(body.length);
    return c.body(new Uint8Array(body), 200, headers);
  };
}
