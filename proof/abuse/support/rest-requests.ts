import fc from "fast-check";
import {
  HOSTILE_NUMBERS,
  headerSafe,
  hostileAuthorization,
  hostileContentType,
  hostileInput,
  hostileString,
  malformedJson,
  wellFormed,
} from "./arbitraries.js";
import { type Ask, printable } from "./http.js";
import type { RestRoute } from "./rest-routes.js";
import type { Callers } from "./trpc-requests.js";

/** A path parameter: a real id, one that cannot exist, or something that is no id at all. */
const pathParam = fc
  .oneof(
    fc.constantFrom(
      "1",
      "3",
      "999999",
      "0",
      "-1",
      "1.5",
      "1e3",
      "0x1",
      "01",
      "9007199254740993",
      "99999999999999999999",
    ),
    fc.constantFrom(...HOSTILE_NUMBERS).map(String),
    hostileString,
    fc.constantFrom("profile", "by-username", ".."),
    // Sent as they are: encoded slashes and dots, NUL, invalid UTF-8, a lone `%`.
    fc.constantFrom(
      "%2e%2e",
      "%2F",
      "%00",
      "%ED%A0%80",
      "%C0%AF",
      "%FF",
      "%E0%80%AF",
      "%",
      "%%32%65",
    ),
  )
  .map((value) => (/^(%|\.\.$)/.test(value) ? value : encodeURIComponent(wellFormed(value))));

/** A query value, as a client would (mis)type it. */
const queryValue = fc.oneof(
  fc.constantFrom("1", "20", "100", "0", "-1", "101", "1e2", "1.5", "abc", "", "MTA", "NaN"),
  fc.constantFrom(...HOSTILE_NUMBERS).map(String),
  hostileString,
);

function fill(path: string, params: string[]): string {
  let i = 0;
  return path.replace(/:[a-z]+/g, () => params[i++] ?? "1");
}

/** A hostile request to one REST route: path, query, headers and body all fair game. */
export function hostileRestCall(route: RestRoute, callers: Callers): fc.Arbitrary<Ask> {
  const authorization = fc.oneof(
    { weight: 2, arbitrary: fc.constant(`Bearer ${callers.user}`) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${callers.admin}`) },
    fc.constant(undefined),
    hostileAuthorization,
  );
  const query = fc.dictionary(
    fc.oneof(fc.constantFrom(...(route.query ?? ["limit"])), hostileString),
    queryValue,
    { maxKeys: 4 },
  );
  const extraHeaders = fc.record(
    {
      "idempotency-key": fc.oneof(
        hostileString.map(headerSafe),
        fc.constantFrom("", "short", "k".repeat(129)),
      ),
      "x-forwarded-for": fc.oneof(
        hostileString.map(headerSafe),
        fc.constantFrom("1.2.3.4, 127.0.0.1", "::1", "unknown"),
      ),
      "x-request-id": hostileString.map(headerSafe),
      origin: fc.constantFrom(
        "null",
        "http://evil.example",
        "http://localhost:5000",
        "javascript:alert(1)",
      ),
      "x-user-id": fc.constantFrom("1", "admin"),
      accept: fc.constantFrom("text/html", "*/*", "application/xml"),
    },
    { requiredKeys: [] },
  );
  const valid = route.body;
  const body: fc.Arbitrary<{ text?: string; type?: string }> =
    route.method === "GET"
      ? fc.constant({})
      : fc.oneof(
          {
            weight: 4,
            arbitrary: hostileInput(valid).map((v) => ({
              text: v === undefined ? undefined : JSON.stringify(v),
            })),
          },
          fc
            .tuple(malformedJson(valid), hostileContentType)
            .map(([text, type]) => ({ text, type })),
          // Past the gateway's 64 kB limit.
          fc
            .constantFrom(65 * 1024, 200 * 1024)
            .map((n) => ({ text: JSON.stringify({ ...valid, pad: "x".repeat(n) }) })),
          fc.constant({}),
        );
  const params = fc.array(pathParam, { minLength: 2, maxLength: 2 });
  return fc
    .record({ params, query, authorization, extraHeaders, body })
    .map(({ params, query, authorization, extraHeaders, body }) => {
      const search = new URLSearchParams(query).toString();
      const headers: Record<string, string> = { ...extraHeaders };
      if (authorization !== undefined) headers.authorization = authorization;
      if (body.text !== undefined) headers["content-type"] = body.type ?? "application/json";
      return printable({
        method: route.method,
        path: `${fill(route.path, params)}${search ? `?${search}` : ""}`,
        headers,
        body: body.text,
      });
    });
}
