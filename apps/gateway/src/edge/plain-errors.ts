import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { SECURITY_HEADERS } from "@shop/kit";

const SECURITY_LINES = Object.entries(SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join("");

/** The status and message of what Node's HTTP parser refused. */
function parserRefusal(code: string | undefined): [status: number, message: string] {
  if (code === "HPE_HEADER_OVERFLOW") return [431, "Request headers too large"];
  // As Node itself answers it: the chunk extensions are part of the body.
  if (code === "HPE_CHUNK_EXTENSIONS_OVERFLOW") return [413, "Request body too large"];
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return [408, "Request took too long to arrive"];
  return [400, "Malformed HTTP request"];
}

/**
 * The server's 'clientError' listener. Node's own answer to a request its
 * parser refuses (headers too large, a bad Content-Length, ...) has an empty
 * body and none of the edge's headers; this one is JSON `{message}` with the
 * security headers, written on the socket (there is no response object), and
 * the connection is closed.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: Buffer },
  socket: Duplex,
): void {
  const pending = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || pending?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] = parserRefusal(error.code);
  const body = JSON.stringify({ message });
  // An answer to HEAD has no body, even a refusal (the client would read it as the next answer).
  const head = error.rawPacket?.toString("latin1", 0, 5) === "HEAD ";
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${SECURITY_LINES}` +
      "content-type: application/json\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? "" : body}`,
    () => socket.destroy(),
  );
}

/**
 * A JSON error written on a response nothing was sent on yet, with the
 * security headers: for what fails outside the Hono app and the relay's own
 * answers (a request without Host, a handler that threw).
 */
export function answerPlainError(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    connection: "close",
  });
  res.end(text);
}
