import fc from "fast-check";
import {
  hostileAuthorization,
  hostileContentType,
  hostileInput,
  malformedJson,
} from "./arbitraries.js";
import { type Ask, printable } from "./http.js";
import { type Procedure, VALID_INPUTS } from "./procedures.js";

/** Bearer tokens of real accounts, by who holds them. */
export interface Callers {
  user: string;
  admin: string;
}

/** How the call travels: as tRPC expects it, batched, with the other verb, or as broken text. */
type Transport = "single" | "batch" | "wrong-method" | "malformed";

const jsonText = (value: unknown): string | undefined =>
  value === undefined ? undefined : JSON.stringify(value);

function request(
  procedure: Procedure,
  transport: Transport,
  text: string | undefined,
  headers: Record<string, string>,
): Ask {
  const path = `/trpc/${procedure.service}/${procedure.name}`;
  const isQuery = procedure.kind === "query";
  const asGet = transport === "wrong-method" ? !isQuery : isQuery;
  if (transport === "batch") {
    const batch = `{"0":${text ?? "null"},"1":${text ?? "null"}}`;
    const twice = `${path},${procedure.name}?batch=1`;
    return asGet
      ? { method: "GET", path: `${twice}&input=${encodeURIComponent(batch)}`, headers }
      : {
          method: "POST",
          path: twice,
          headers: { "content-type": "application/json", ...headers },
          body: batch,
        };
  }
  if (asGet) {
    const query = text === undefined ? "" : `?input=${encodeURIComponent(text)}`;
    return { method: "GET", path: `${path}${query}`, headers };
  }
  return {
    method: "POST",
    path,
    headers: { "content-type": "application/json", ...headers },
    body: text,
  };
}

/** A hostile call of one procedure, from any kind of caller. */
export function hostileCall(procedure: Procedure, callers: Callers): fc.Arbitrary<Ask> {
  const valid = VALID_INPUTS[procedure.service][procedure.name];
  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.constant(`Bearer ${callers.user}`),
    fc.constant(`Bearer ${callers.admin}`),
    hostileAuthorization,
  );
  const wellFormed = fc
    .tuple(
      fc.constantFrom<Transport>("single", "single", "batch", "wrong-method"),
      hostileInput(valid),
    )
    .map(([transport, input]) => ({ transport, text: jsonText(input), contentType: undefined }));
  const broken = fc
    .tuple(malformedJson(valid), hostileContentType)
    .map(([text, contentType]) => ({ transport: "malformed" as Transport, text, contentType }));
  return fc
    .tuple(fc.oneof({ weight: 3, arbitrary: wellFormed }, broken), authorization)
    .map(([{ transport, text, contentType }, auth]) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      const ask = request(
        procedure,
        transport === "malformed" ? "single" : transport,
        text,
        headers,
      );
      if (contentType !== undefined && ask.method === "POST") {
        ask.headers = { ...ask.headers, "content-type": contentType };
      }
      return printable(ask);
    });
}
