import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningServer } from "@shop/kit";
import { answerClientError, answerPlainError } from "./edge/plain-errors.js";

/**
 * Listens with a plain node:http server (the relay path runs below Hono), with
 * the same socket timeouts as every service. What Node would refuse with an
 * empty body (a request its parser rejects, an HTTP/1.1 request without Host)
 * is answered in JSON with the security headers instead.
 */
export async function listenGateway(
  listener: RequestListener,
  options: { port: number; host: string },
): Promise<RunningServer> {
  // Node's own Host check answers an empty 400; the one below answers JSON.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (req.httpVersion === "1.1" && req.headers.host === undefined) {
      answerPlainError(res, 400, { message: "Missing Host header" });
      return;
    }
    listener(req, res);
  });
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 31_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
