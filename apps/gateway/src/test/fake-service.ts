import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fake service saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A purpose-built upstream for relay tests: records requests and answers as told. */
export interface FakeService {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (req: SeenRequest, res: ServerResponse) => void;

/** By default answers 200 with a tRPC-shaped echo of what it received. */
export const echo: FakeHandler = (req, res) => {
  const body = JSON.stringify({ result: { data: { url: req.url, method: req.method } } });
  res.writeHead(200, { "content-type": "application/json", "set-cookie": "a=1; HttpOnly" });
  res.end(body);
};

/** Accepts connections and requests, and never answers. */
export const hang: FakeHandler = () => {};

export async function startFakeService(handler: FakeHandler = echo): Promise<FakeService> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A URL where nothing listens: a stopped service. */
export async function stoppedServiceUrl(): Promise<string> {
  const service = await startFakeService();
  await service.close();
  return service.url;
}
