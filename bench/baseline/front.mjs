// The relay limit's front: plain node:http relaying every request over a
// keep-alive agent to the backend, streaming both ways. What two bare Node
// processes can do on this machine; the gateway is measured against it.
import { Agent, createServer, request } from "node:http";

const [port, backendPort] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const server = createServer((req, res) => {
  const upstream = request(
    {
      host: "127.0.0.1",
      port: backendPort,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    res.writeHead(502).end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 30_000;
server.listen(port, "127.0.0.1", () => process.send?.({ port: server.address().port }));
