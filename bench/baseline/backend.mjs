// The relay limit's backend: plain node:http answering fixed JSON. With a
// file argument ({headers, body}) it answers that instead: a real read's
// answer replayed, to tell the cost of its bytes from the cost of the code.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const replay = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], "utf8")) : null;
const body =
  replay?.body ?? JSON.stringify({ result: { data: { id: 1, status: "paid", totalCents: 4200 } } });
const headers = {
  ...(replay?.headers ?? { "content-type": "application/json" }),
  "content-length": Buffer.byteLength(body),
};
const port = Number(process.argv[2] ?? 0);
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(port, "127.0.0.1", () => process.send?.({ port: server.address().port }));
