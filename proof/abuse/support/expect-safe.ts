import type { Answer } from "./http.js";

/** Which error envelope the answer should carry. */
export type Surface = "rest" | "trpc";

function fail(answer: Answer, why: string): never {
  throw new Error(`${why}: ${answer.status} ${answer.text.slice(0, 300)}`);
}

function hasMessage(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { message?: unknown }).message === "string" &&
    (value as { message: string }).message.length > 0
  );
}

/**
 * What is wrong with a tRPC answer, if anything: it must be `{result}` or
 * `{error: {message}}`, or a batch (array) of them, and no call of a batch may
 * have failed with a 5xx (a batch answers 207 when its calls differ).
 */
function trpcProblem(value: unknown, errorExpected: boolean): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = trpcProblem(item, false);
      if (problem) return `batched call: ${problem}`;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return "not a tRPC envelope";
  const envelope = value as { result?: unknown; error?: { data?: { httpStatus?: number } } };
  if ("error" in envelope) {
    if (!hasMessage(envelope.error)) return "error without message";
    const status = envelope.error?.data?.httpStatus ?? 0;
    return status >= 500 ? `server error ${status}` : null;
  }
  return !errorExpected && "result" in envelope ? null : "not a tRPC envelope";
}

/** A bodiless 400/431 written by Node itself (see `server.on("clientError")`). */
export function isParserRefusal(answer: Answer): boolean {
  return (
    (answer.status === 431 || answer.status === 400) &&
    answer.text === "" &&
    !answer.headers.has("content-type")
  );
}

/**
 * The property every answer to hostile input must have: no 5xx (every
 * dependency is up, so not even a 503/504), JSON that says what went wrong,
 * and headers that stop a browser from sniffing it into HTML.
 */
export function expectSafe(answer: Answer, surface: Surface, method = "GET"): void {
  if (answer.status >= 500) fail(answer, "server error");
  if (answer.status < 200) fail(answer, "no final status");
  // Node's HTTP parser refuses a request line or headers past 16 kB with a
  // bare 431 (or 400) before any of our code runs: no body, nothing to sniff.
  if (isParserRefusal(answer)) return;
  if (answer.headers.get("x-content-type-options") !== "nosniff") fail(answer, "no nosniff");
  // A preflight, or a HEAD, has no body to judge.
  if (answer.status === 204 || answer.status === 304 || method === "HEAD") return;
  const type = answer.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) fail(answer, `content-type ${type || "missing"}`);
  if (answer.json === undefined) fail(answer, "body is not JSON");
  const error = answer.status >= 400;
  if (surface === "rest" && error && !hasMessage(answer.json))
    fail(answer, "error without message");
  if (surface === "trpc") {
    const problem = trpcProblem(answer.json, error);
    // An edge refusal (413, 404 for a path that is no procedure) is plain REST-style JSON.
    if (problem && !(error && hasMessage(answer.json))) fail(answer, problem);
  }
}
