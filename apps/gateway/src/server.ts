import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningServer } from "@shop/kit";

/**
 * Listens with a plain node:http server (the relay path runs below Hono), with
 * the same socket timeouts as every service.
 */
export async function listenGateway(
  listener: RequestListener,
  options: { port: number; host: string },
): Promise<RunningServer> {
  const server = createServer(listener);
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
