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

// The single-call fast path must answer exactly as tRPC's fetch adapter does:
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
  nested: t.router({
    deep: t.publicProcedure.query(() => "deep"),
    write: t.publicProcedure.input(z.number()).mutation(({ input }) => input * 2),
  }),
  text: t.publicProcedure.query(
    () => new JsonText<{ id: number; name: string }>(JSON.stringify({ id: 1, name: 'é "q"' })),
  ),
  echo: t.publicProcedure.input(z.string()).mutation(({ input }) => input),
  place: t.publicProcedure
    .input(z.strictObject({ items: z.array(z.strictObject({ id: z.number().int() })).min(1) }))
    .mutation(({ input }) => ({ placed: input.items.length, at: new Date(0) })),
  ping: t.publicProcedure.mutation(() => "pong"),
  refuse: t.publicProcedure.mutation(() => {
    throw new AppError("TOO_MANY_REQUESTS", "Wait", { retryAfterSeconds: 1 });
  }),
  crash: t.publicProcedure.mutation(() => {
    throw new Error("UPDATE secrets SET leaked = 1");
  }),
  whoami: t.protectedProcedure.mutation(({ ctx }) => ({ id: ctx.caller.id })),
  session: t.publicProcedure.input(z.object({ name: z.string() })).mutation(({ ctx, input }) => {
    ctx.resHeaders.append("set-cookie", `who=${input.name}; HttpOnly`);
    ctx.resHeaders.append("set-cookie", "csrf=1");
    return { ok: true };
  }),
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
const BODY_LIMIT = 1024;
async function start(singleCallFastPath: boolean) {
  const service = createServiceApp({
    service: "test",
    port: 0,
    log: silentLogger,
    bodyLimitBytes: BODY_LIMIT,
  });
  mountTrpc(service, { endpoint: "/trpc/test", router, deps: {}, verifier, singleCallFastPath });
  expect(service.nodeRoutes).toHaveLength(singleCallFastPath ? 1 : 0);
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

const JSON_TYPE = { "content-type": "application/json" };
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => Buffer.from(typeof part === "string" ? part : part)));
const BOM = [0xef, 0xbb, 0xbf];
/** Mutations: path, body, headers. */
const POSTS: Array<[string, string | Buffer | null, Record<string, string>?]> = [
  ["echo", '"hi"', JSON_TYPE],
  ["echo", '"hi"', { "content-type": "application/json; charset=utf-8" }],
  ["echo", '"hi"', { "content-type": " Application/JSON ;x=1" }],
  ["echo", '"hi"', { "content-type": "application/jsonl" }],
  ["echo", '"hi"', { "content-type": "text/plain" }],
  ["echo", '"hi"'],
  ["echo", "nope", JSON_TYPE],
  ["echo", "", JSON_TYPE],
  ["echo", null, JSON_TYPE],
  ["echo", bytes(BOM, '"bom"'), JSON_TYPE],
  ["echo", bytes(BOM, BOM, '"two boms"'), JSON_TYPE],
  ["echo", bytes('"', [0xff, 0xfe, 0xc3], '"'), JSON_TYPE],
  ["echo", '"é \u0000 \ud800"', JSON_TYPE],
  ["echo", "12", JSON_TYPE],
  ["echo", `"${"a".repeat(BODY_LIMIT - 2)}"`, JSON_TYPE],
  ["echo", `"${"a".repeat(BODY_LIMIT - 1)}"`, JSON_TYPE],
  ["echo?batch=1", '{"0":"hi"}', JSON_TYPE],
  ["echo,echo?batch=1", '{"0":"a","1":"b"}', JSON_TYPE],
  ["echo?x=1", '"hi"', JSON_TYPE],
  ["echo", '"hi"', { ...JSON_TYPE, "x-request-id": "given-id.1" }],
  ["echo", '"hi"', { ...JSON_TYPE, accept: "application/jsonl" }],
  ["echo", '"hi"', { ...JSON_TYPE, "trpc-accept": "application/jsonl" }],
  ["place", '{"items":[{"id":1},{"id":2}]}', JSON_TYPE],
  ["place", '{"items":[]}', JSON_TYPE],
  ["place", '{"items":[{"id":1.5}],"extra":true}', JSON_TYPE],
  ["place", '{"__proto__":{"items":[{"id":1}]}}', JSON_TYPE],
  ["ping", "garbage", JSON_TYPE],
  ["ping", null, JSON_TYPE],
  ["refuse", "{}", JSON_TYPE],
  ["crash", "{}", JSON_TYPE],
  ["whoami", "{}", JSON_TYPE],
  ["whoami", "{}", { ...JSON_TYPE, authorization: "Bearer good" }],
  ["whoami", "{}", { ...JSON_TYPE, authorization: "Bearer bad" }],
  ["session", '{"name":"ann"}', JSON_TYPE],
  ["nested.write", "21", JSON_TYPE],
  ["nested", "21", JSON_TYPE],
  ["hello", '{"name":"ann"}', JSON_TYPE],
  ["nowhere", "{}", JSON_TYPE],
  ["__proto__", "{}", JSON_TYPE],
  ["ech%6F", '"hi"', JSON_TYPE],
];

async function answer(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  init: { method?: string; body?: string | Buffer | null } = {},
) {
  const res = await fetch(`${base}/trpc/test/${path}`, { headers, ...init });
  // A request id made by the server is random; one that was given must come back.
  const given = headers["x-request-id"] === "given-id.1";
  const kept = [...res.headers].filter(
    ([name]) => name !== "date" && (given || name !== "x-request-id"),
  );
  return { status: res.status, headers: kept, body: await res.text() };
}

/** One request with headers exactly as listed, repeated names included (fetch would join them). */
function rawAnswer(base: string, path: string, headers: string[], body?: string[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(`${base}/trpc/test/${path}`);
    const method = body === undefined ? "GET" : "POST";
    const target = { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}` };
    const req = request({ ...target, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    // Several writes without a length go out chunked.
    for (const chunk of body ?? []) req.write(chunk);
    req.end();
  });
}

describe("the single-call route below Hono", () => {
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

  it("answers every mutation exactly as tRPC's fetch adapter does", async () => {
    for (const [path, body, headers] of POSTS) {
      const init = { method: "POST", body };
      const [mine, theirs] = await Promise.all([
        answer(fast, path, headers, init),
        answer(adapter, path, headers, init),
      ]);
      const sent = String(body).slice(0, 40);
      expect({ path, sent, ...mine }).toEqual({ path, sent, ...theirs });
    }
  });

  it("reads raw mutations as the adapter does: chunked bodies, repeated headers", async () => {
    const cases: Array<[string[], string[]]> = [
      [
        ["content-type", "application/json"],
        ['"chun', 'ked"'],
      ],
      [["content-type", "application/json", "content-type", "text/plain"], ['"hi"']],
      [["content-type", "application/json", "content-length", "4"], ['"hi"']],
      [
        ["content-type", "application/json", "authorization", "Bearer good"],
        ["{", "}"],
      ],
    ];
    for (const [headers, body] of cases) {
      const path = headers.includes("authorization") ? "whoami" : "echo";
      const [mine, theirs] = await Promise.all([
        rawAnswer(fast, path, headers, body),
        rawAnswer(adapter, path, headers, body),
      ]);
      expect({ headers, ...mine }).toEqual({ headers, ...theirs });
    }
  });

  it("survives a client that leaves in the middle of a body", async () => {
    const url = new URL(fast);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: "/trpc/test/echo",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "100" },
      });
      req.on("error", () => resolve());
      req.write('"only a part', () => {
        req.destroy();
        resolve();
      });
    });
    const after = await answer(fast, "echo", JSON_TYPE, { method: "POST", body: '"still here"' });
    expect({ status: after.status, body: after.body }).toEqual({
      status: 200,
      body: '{"result":{"data":"still here"}}',
    });
  });

  it("is taken for plain calls (a sanity check that the comparison compares something)", async () => {
    const before = taken;
    const ok = await answer(fast, `hello?${input({ name: "ann" })}`);
    expect(taken).toBe(before + 1);
    await answer(fast, "hello,me?batch=1&input=%7B%7D");
    await answer(fast, "echo");
    await answer(fast, "echo?batch=1", JSON_TYPE, { method: "POST", body: '{"0":"hi"}' });
    await answer(fast, "echo", JSON_TYPE, { method: "POST", body: `"${"a".repeat(BODY_LIMIT)}"` });
    expect(taken).toBe(before + 1);
    const placed = await answer(fast, "place", JSON_TYPE, {
      method: "POST",
      body: '{"items":[{"id":1}]}',
    });
    expect(taken).toBe(before + 2);
    expect({ status: placed.status, body: placed.body }).toEqual({
      status: 200,
      body: '{"result":{"data":{"placed":1,"at":"1970-01-01T00:00:00.000Z"}}}',
    });
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
