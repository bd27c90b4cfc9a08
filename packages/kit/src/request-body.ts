import type { IncomingMessage } from "node:http";

/** What reading a request body found: its bytes, one too many, or a client gone first. */
export type BodyRead = { bytes: Buffer } | { tooLarge: true } | { gone: true };

/**
 * Reads a whole request body from the raw node:http request, refusing it once
 * it passes `limitBytes` (a declared Content-Length is enforced by Node's
 * parser; a chunked body is counted here). Past the limit the rest is not
 * read: answer 413 with `Connection: close`.
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (read: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) settle({ tooLarge: true });
      else chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => settle({ bytes: Buffer.concat(chunks, size) }));
    // An aborted upload also emits an error; the close that follows settles it.
    req.on("error", () => {});
    req.once("close", () => settle({ gone: true }));
  });
}

const utf8 = new TextDecoder();

/**
 * A body as text, decoded as fetch's `Request.text()` and `.json()` decode it:
 * a leading UTF-8 byte order mark dropped, then a replacing UTF-8 decoder
 * (which drops one more).
 */
export function decodeBodyText(bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return utf8.decode(bytes.subarray(start));
}
