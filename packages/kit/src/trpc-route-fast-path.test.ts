import { request } from "node:http";
import { type AccessVerifier, TokenError } from "@shop/auth-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./errors.js";
import { JsonText } from "./json-text.js";
import { createServiceApp, listen, type RunningServer } from "./server.js";
import { silentLogger } from "./testing/index.js";
import { createServiceTRPC } from "./trpc.js";
import { mountTrpc } from "./trpc-route.js";

// The single-query fast path must answer exactly as tRPC's fetch adapter does:
// the same requests go to a service with it and one without, and every
// status, header and body must match.

const t = createServiceTRPC<Record<string, never>>();
const router = t.router({
  hello: t.publicProcedure
    .input(z.strictObject({ name: z.string().max(5) }))
    .query(({ input }) => ({ greeting: `hi ${input.name}`, when: new Date(0) })),
  optional: t.publicProcedure
    .input(z.object({ n: z.number() }).optional())
    .query(({ input }) => input ?? null),
  me: t.protectedProcedure.query(({ ctx }) => ({ id: ctx.caller.id, from: ctx.clientAddress })),
  admin: t.adminProcedure.query(() => "secret"),
  limited: t.publicProcedure.query(() => {
    throw new AppError("TOO_MANY_REQUESTS", "Slow down", { retryAfterSeconds: 2.5 });
  }),
  missing: t.publicProcedure.query(() => {
    throw new AppError("NOT_FOUND", "Nothing here", { details: { id: 7 } });
  }),
  boom: t.publicProcedure.query(() => {
    throw new Error("SELECT * FROM secrets");
  }),
  cookies: t.publicProcedure.query(({ ctx }) => {
    ctx.resHeaders.append("set-cookie", "a=1; HttpOnly");
    ctx.resHeaders.append("set-cookie", "b=2; HttpOnly");
    ctx.resHeaders.set("x-extra", "yes");
    return "ok";
  }),
  nested: t.router({ deep: t.publicProcedure.query(() => "deep") }),
  text: t.publicProcedure.query(
    () => new JsonText<{ id: number; name: string }>(JSON.stringify({ id: 1, name: 'é "q"' })),
  ),
  echo: t.publicProcedure.input(z.string()).mutation(({ input }) => input),
  // Answerable only if its text is written as it is, never parsed.
  textOnly: t.publicProcedure.query(
    () =>
      new (class extends JsonText<number> {
        override toJSON(): number {
          throw new Error("parsed");
        }
      })("42"),
  ),
});

const verifier = {
  verify: async (token: string) => {
    if (token === "good") {
      return { id: 7, username: "u7", role: "user", tokenId: "t", expiresAt: Date.now() + 60_000 };
    }
    throw new TokenError("expired", "Token has expired");
  },
} as unknown as AccessVerifier;

const servers: RunningServer[] = [];
/** Requests the node-level route took, on the server that has it. */
let taken = 0;
async function start(singleQueryFastPath: boolean) {
  const service = createServiceApp({ service: "test", port: 0, log: silentLogger });
  mountTrpc(service, { endpoint: "/trpc/test", router, deps: {}, verifier, singleQueryFastPath });
  expect(service.nodeRoutes).toHaveLength(singleQueryFastPath ? 1 : 0);
  const [route] = service.nodeRoutes;
  if (route) {
    service.nodeRoutes[0] = (req, res) => {
      const took = route(req, res);
      if (took) taken++;
      return took;
    };
  }
  const server = await listen(service, { port: 0 });
  servers.push(server);
  return server.url;
}
let fast: string;
let adapter: string;
beforeAll(async () => {
  [fast, adapter] = await Promise.all([start(true), start(false)]);
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const REQUESTS: Array<[string, Record<string, string>?]> = [
  [`hello?${input({ name: "ann" })}`],
  [`hello?${input({ name: "far too long" })}`],
  [`hello?${input({ name: "ann", extra: 1 })}`],
  ["hello"],
  ["hello?input=%7B"],
  [`hello?${input({ name: "ann" })}&batch=1`],
  [`hello?${input({ name: "ann" })}&input=2`],
  [`hello?${input({ name: "ann" })}&other=1`],
  ["optional"],
  [`optional?${input(null)}`],
  [`optional?${input({ n: 1e308 })}`],
  ["me"],
  ["me", { authorization: "Bearer good" }],
  ["me", { authorization: "Bearer bad" }],
  ["me", { authorization: "Basic Z29vZA==" }],
  ["me", { authorization: "Bearer good", "x-forwarded-for": "203.0.113.9" }],
  ["admin", { authorization: "Bearer good" }],
  ["limited"],
  ["missing"],
  ["boom"],
  ["cookies"],
  ["nested.deep"],
  ["text"],
  ["text,text?batch=1"],
  ["nested"],
  ["nowhere"],
  ["echo"],
  ["__proto__"],
  ["hello,me?batch=1&input=%7B%7D"],
  [`hello?${input({ name: "ann" })}`, { "trpc-accept": "application/jsonl" }],
  [`hello?${input({ name: "ann" })}`, { accept: "application/jsonl" }],
  ["hello?input=%7B%22name%22%3A%22a+b%22%7D"],
  [`hel%6Co?${input({ name: "ann" })}`],
  [`hello?${input({ name: "ann" })}`, { "x-request-id": "given-id.1" }],
  [`hello?${input({ name: "ann" })}`, { "x-request-id": "not a plain id!" }],
  [`hello?${input({ name: "ann" })}#frag`],
  [`hello/?${input({ name: "ann" })}`],
  [`optional?${input({ n: 1 })}`, { "x-user-id": "1", "x-user-role": "admin" }],
];

async function answer(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/trpc/test/${path}`, { headers });
  // A request id made by the server is random; one that was given must come back.
  const given = headers["x-request-id"] === "given-id.1";
  const kept = [...res.headers].filter(
    ([name]) => name !== "date" && (given || name !== "x-request-id"),
  );
  return { status: res.status, headers: kept, body: await res.text() };
}

/** One GET with headers exactly as listed, repeated names included (fetch would join them). */
function rawAnswer(base: string, path: string, headers: string[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(`${base}/trpc/test/${path}`);
    const req = request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("the single-query route below Hono", () => {
  it("reads repeated headers as the adapter does", async () => {
    const cases = [
      ["authorization", "Bearer good", "authorization", "Bearer good"],
      [
        "Authorization",
        "Bearer good",
        "x-forwarded-for",
        "203.0.113.9",
        "X-Forwarded-For",
        "198.51.100.7",
      ],
      ["authorization", "  Bearer good  "],
    ];
    for (const headers of cases) {
      const [mine, theirs] = await Promise.all([
        rawAnswer(fast, "me", headers),
        rawAnswer(adapter, "me", headers),
      ]);
      expect({ headers, ...mine }).toEqual({ headers, ...theirs });
    }
  });

  it("answers every request exactly as tRPC's fetch adapter does", async () => {
    for (const [path, headers] of REQUESTS) {
      const [mine, theirs] = await Promise.all([
        answer(fast, path, headers),
        answer(adapter, path, headers),
      ]);
      expect({ path, ...mine }).toEqual({ path, ...theirs });
    }
  });

  it("is taken for plain queries (a sanity check that the comparison compares something)", async () => {
    const before = taken;
    const ok = await answer(fast, `hello?${input({ name: "ann" })}`);
    expect(taken).toBe(before + 1);
    await answer(fast, "hello,me?batch=1&input=%7B%7D");
    await answer(fast, "echo");
    expect(taken).toBe(before + 1);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      result: { data: { greeting: "hi ann", when: "1970-01-01T00:00:00.000Z" } },
    });
    const text = await answer(fast, "textOnly");
    expect({ status: text.status, body: text.body }).toEqual({
      status: 200,
      body: '{"result":{"data":42}}',
    });
    const cookies = await fetch(`${fast}/trpc/test/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(["a=1; HttpOnly", "b=2; HttpOnly"]);
    const limited = await fetch(`${fast}/trpc/test/limited`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
  });
});
