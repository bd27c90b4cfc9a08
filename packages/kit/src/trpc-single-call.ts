import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AnyProcedure,
  type AnyRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { TRPCResponse } from "@trpc/server/rpc";
import { JsonText } from "./json-text.js";
import type { Logger } from "./logger.js";
import { decodeBodyText, readRequestBody } from "./request-body.js";
import { RequestHeaders } from "./request-headers.js";
import { elapsedMs, logAccess, requestIdFrom } from "./request-log.js";
import { SERVICE_SECURITY_HEADERS } from "./security-headers.js";
import type { NodeRoute } from "./server.js";
import { logFailure, metaHeaders, type RequestFacts } from "./trpc-context.js";

type AnyProcedureCall = Parameters<typeof callTRPCProcedure>[0];

// A procedure path as tRPC writes it: names joined by dots. Anything else
// (percent-escapes, a comma-separated batch) is left to the adapter.
const PROCEDURE_PATH = /^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/;
// A body length as the route takes it: plain digits, one header (a repeated
// header reads "5, 5", which the route leaves to Hono's body limit).
const CONTENT_LENGTH = /^[0-9]{1,15}$/;

/** The call a request makes, once the route has taken it. */
interface SingleCall {
  type: "query" | "mutation";
  path: string;
  headers: Headers;
  /** The input, read as the adapter reads it (its failure is the adapter's). */
  getRawInput: () => Promise<unknown>;
  /** The input if it was read, for error shapes (as the adapter gives them). */
  readInput: () => unknown;
}

/**
 * The hot paths of every read and write: a plain single GET query or a plain
 * single POST mutation with a JSON body, answered on the raw node:http request
 * without building a fetch Request, a Hono context or a Response. It writes
 * what the Hono app would (request id, security headers, access-log line) and
 * answers exactly as tRPC's fetch adapter does, byte for byte (tested). It
 * declines, synchronously, anything else: batches, query strings on a
 * mutation, unknown paths, streaming, unreadable query input, bodies without
 * a length or over the limit (Hono's body limit answers those).
 */
export function singleCallRoute(options: {
  endpoint: string;
  router: AnyRouter;
  log: Logger;
  /** Largest body taken; a longer one is left to Hono, which refuses it. */
  bodyLimitBytes: number;
  createContext: (request: RequestFacts) => Promise<unknown>;
}): NodeRoute {
  const { router, log } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const prefix = `${options.endpoint}/`;
  // A JsonText is written as it is only when results reach the wire unchanged
  // (no transformer such as superjson reshapes them).
  const probe = {};
  const writesResultsAsTheyAre = config.transformer.output.serialize(probe) === probe;
  const deserialize = (value: unknown) => config.transformer.input.deserialize(value);

  /** The response body, from JSON text a procedure returned when it can be used as it is. */
  function bodyOf(json: TRPCResponse): string {
    if (writesResultsAsTheyAre && "result" in json && json.result.data instanceof JsonText) {
      return `{"result":{"data":${json.result.data.text}}}`;
    }
    return JSON.stringify(transformTRPCResponse(config, json));
  }

  /** The input of a mutation, parsed on first use; a failure as the adapter reports it. */
  function bodyInput(bytes: Buffer): Pick<SingleCall, "getRawInput" | "readInput"> {
    let parsed: { value: unknown } | { error: TRPCError } | undefined;
    const readInput = () => (parsed && "value" in parsed ? parsed.value : undefined);
    const getRawInput = async () => {
      if (parsed === undefined) {
        try {
          parsed = { value: deserialize(JSON.parse(decodeBodyText(bytes))) };
        } catch (cause) {
          parsed = {
            error:
              cause instanceof TRPCError
                ? cause
                : new TRPCError({
                    code: "BAD_REQUEST",
                    message: cause instanceof Error ? cause.message : "Invalid input",
                    cause,
                  }),
          };
        }
      }
      if ("error" in parsed) throw parsed.error;
      return parsed.value;
    };
    return { getRawInput, readInput };
  }

  async function answer(req: IncomingMessage, res: ServerResponse, call: SingleCall) {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const requestLog = log.child({ reqId: requestId });
    const { path, type } = call;
    const resHeaders = new Headers();
    let status = 500;
    try {
      const ctx = await options.createContext({
        requestId,
        log: requestLog,
        headers: call.headers,
        resHeaders,
        peer: req.socket.remoteAddress,
      });
      const procedureCall: AnyProcedureCall = {
        router,
        path,
        getRawInput: call.getRawInput,
        ctx,
        type,
        signal: undefined,
        batchIndex: 0,
      };
      let json: TRPCResponse;
      const errors: TRPCError[] = [];
      try {
        json = { result: { data: await callTRPCProcedure(procedureCall) } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        errors.push(error);
        logFailure(error, path, ctx);
        json = {
          error: getTRPCErrorShape({ config, error, type, path, input: call.readInput(), ctx }),
        };
      }
      const headers: Record<string, string | string[]> = {
        vary: "trpc-accept, accept",
        "content-type": "application/json",
        ...metaHeaders(errors, true),
      };
      for (const [name, value] of resHeaders) {
        const previous = headers[name];
        headers[name] = previous === undefined ? value : [previous, value].flat();
      }
      const body = bodyOf(json);
      status = getHTTPStatusCode(json);
      res.writeHead(status, {
        ...SERVICE_SECURITY_HEADERS,
        ...headers,
        "x-request-id": requestId,
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    } catch (error) {
      // As the Hono app's onError answers: never a stack, always JSON.
      requestLog.error({ err: error }, "unhandled error");
      status = 500;
      if (!res.headersSent) {
        const body = JSON.stringify({ message: "Internal server error", request_id: requestId });
        res.writeHead(500, {
          "content-type": "application/json",
          ...SERVICE_SECURITY_HEADERS,
          "x-request-id": requestId,
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      } else res.destroy();
    }
    logAccess(requestLog, {
      method: req.method ?? "GET",
      path: `${prefix}${path}`,
      status,
      ms: elapsedMs(started),
    });
  }

  /** The procedure a request names, when the route may answer it. */
  function procedureOf(req: IncomingMessage, type: "query" | "mutation", path: string) {
    if (!PROCEDURE_PATH.test(path) || !Object.hasOwn(procedures, path)) return false;
    if (procedures[path]?._def.type !== type) return false;
    return req.headers["trpc-accept"] === undefined && req.headers.accept !== "application/jsonl";
  }

  function query(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    const queryAt = url.indexOf("?", prefix.length);
    const path = url.slice(prefix.length, queryAt === -1 ? undefined : queryAt);
    if (!procedureOf(req, "query", path)) return false;
    let input: unknown;
    try {
      const query = new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1));
      let inputs = 0;
      for (const key of query.keys()) {
        if (key !== "input" || ++inputs > 1) return false;
      }
      const rawInput = query.get("input");
      input = deserialize(rawInput === null ? undefined : JSON.parse(rawInput));
    } catch {
      return false;
    }
    const headers = new RequestHeaders(req.rawHeaders);
    void answer(req, res, {
      type: "query",
      path,
      headers,
      getRawInput: async () => input,
      readInput: () => input,
    });
    return true;
  }

  function mutation(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    if (url.includes("?", prefix.length)) return false;
    const path = url.slice(prefix.length);
    if (!procedureOf(req, "mutation", path)) return false;
    const headers = new RequestHeaders(req.rawHeaders);
    // The adapter's test of a JSON body: the media type, before any parameter.
    const mediaType = headers.get("content-type")?.toLowerCase().split(";", 1)[0]?.trim();
    if (mediaType !== "application/json" || headers.has("transfer-encoding")) return false;
    const length = headers.get("content-length");
    if (length === null || !CONTENT_LENGTH.test(length)) return false;
    if (Number(length) > options.bodyLimitBytes) return false;
    // Within the limit by its declared length, which Node's parser enforces.
    void readRequestBody(req, options.bodyLimitBytes).then((read) => {
      if (!("bytes" in read)) return;
      return answer(req, res, { type: "mutation", path, headers, ...bodyInput(read.bytes) });
    });
    return true;
  }

  return function singleCall(req, res) {
    const url = req.url ?? "";
    if (!url.startsWith(prefix)) return false;
    if (req.method === "GET") return query(req, res, url);
    if (req.method === "POST") return mutation(req, res, url);
    return false;
  };
}
