import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceApp, listen, listenFailure, type RunningServer } from "./server.js";
import { silentLogger } from "./testing/index.js";

let server: RunningServer;
beforeAll(async () => {
  const app = createServiceApp({
    service: "test",
    port: 0,
    log: silentLogger,
    bodyLimitBytes: 1024,
  });
  app.post("/echo", async (c) => c.json(await c.req.json()));
  server = await listen(app, { port: 0 });
});
afterAll(() => server.close());

describe("createServiceApp", () => {
  it("answers a body past the limit with a JSON 413 that closes the connection", async () => {
    // The unread rest of the body is dropped with the socket: a keep-alive
    // client must not send its next request down it (found by the abuse suite).
    const response = await fetch(`${server.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(256 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({ message: "Request body too large" });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe("listenFailure", () => {
  it("says which port is taken and what to do, without a stack", async () => {
    const app = createServiceApp({ service: "test", port: 0, log: silentLogger });
    const error = await listen(app, { port: server.port, host: "127.0.0.1" }).then(
      (second) => {
        void second.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(listenFailure(error, "127.0.0.1", server.port)).toBe(
      `port ${server.port} on 127.0.0.1 is already in use: stop what holds it (another \`npm start\` still running?)`,
    );
    expect(listenFailure(new Error("boom"), "::1", 1)).toBe("cannot listen on ::1:1: boom");
  });
});
