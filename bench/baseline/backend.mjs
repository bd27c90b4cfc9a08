// The relay limit's backend: plain node:http answering a fixed JSON body.
import { createServer } from "node:http";

const body = JSON.stringify({ result: { data: { id: 1, status: "paid", totalCents: 4200 } } });
const port = Number(process.argv[2] ?? 0);
const server = createServer((_req, res) => {
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(port, "127.0.0.1", () => process.send?.({ port: server.address().port }));
