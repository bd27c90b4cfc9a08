import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { SECURITY_HEADERS } from "@shop/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayForTest, type TestGateway } from "../testing.js";
import { answerPlainError } from "./plain-errors.js";

// Requests Node's HTTP parser refuses never reach a handler: they are sent as
// raw bytes here, and the answer read as raw bytes until the socket closes.

let gateway: TestGateway;
beforeAll(async () => {
  // Nothing listens upstream: none of these requests may get that far.
  const nowhere = "http://127.0.0.1:9";
  gateway = await startGatewayForTest({ authUrl: nowhere, usersUrl: nowhere, ordersUrl: nowhere });
});
afterAll(() => gateway.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function raw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = data.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
  });
}

function expectJsonError(answer: RawAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(JSON.parse(answer.body)).toEqual({ message: expect.any(String) });
  expect(answer.headers["content-type"]).toBe("application/json");
  expect(answer.headers.connection).toBe("close");
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect({ name, value: answer.headers[name] }).toEqual({ name, value });
  }
}

describe("what Node's HTTP parser refuses", () => {
  const port = () => Number(new URL(gateway.url).port);

  it("headers too large: 431 in JSON with the security headers", async () => {
    const answer = await raw(
      port(),
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expectJsonError(answer, 431);
  });

  it("a bad Content-Length: 400 in JSON", async () => {
    const answer = await raw(
      port(),
      "POST /gateway/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    );
    expectJsonError(answer, 400);
  });

  it("an HTTP/1.1 request without Host: 400 in JSON", async () => {
    expectJsonError(await raw(port(), "GET /health HTTP/1.1\r\n\r\n"), 400);
  });

  it("a HEAD with headers too large: 431 without a body (found by the abuse suite)", async () => {
    const answer = await raw(port(), `HEAD /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body).toBe("");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("chunk extensions too long: 413 in JSON, as Node itself says", async () => {
    const answer = await raw(
      port(),
      `POST /trpc/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;${"a".repeat(20_000)}\r\nhello\r\n0\r\n\r\n`,
    );
    expectJsonError(answer, 413);
  });

  it("garbage instead of a request line: 400 in JSON", async () => {
    expectJsonError(await raw(port(), "\x01\x02 nonsense\r\n\r\n"), 400);
  });
});

describe("the listener's 500 fallback", () => {
  it("carries the security headers too", async () => {
    const server = createServer((_req, res) => answerPlainError(res, 500, { message: "x" }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expectJsonError(await raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 500);
    } finally {
      server.close();
    }
  });
});
