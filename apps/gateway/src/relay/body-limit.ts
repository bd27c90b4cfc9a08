import type { IncomingMessage } from "node:http";
import { Transform } from "node:stream";

/** Raised while streaming a request body past the limit. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor() {
    super("Request body too large");
  }
}

/**
 * The request body to stream upstream. A declared Content-Length was already
 * checked (Node's parser stops at it), so only a chunked body needs counting.
 */
export function limitedBody(req: IncomingMessage, limitBytes: number): IncomingMessage | Transform {
  if (req.headers["content-length"] !== undefined) return req;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) callback(new BodyTooLargeError());
      else callback(null, chunk);
    },
  });
  req.on("error", (error) => counter.destroy(error));
  return req.pipe(counter);
}
