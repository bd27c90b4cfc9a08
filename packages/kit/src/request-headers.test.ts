import { describe, expect, it } from "vitest";
import { RequestHeaders } from "./request-headers.js";

const RAW = [
  "Host",
  "127.0.0.1:7103",
  "Authorization",
  "Bearer one",
  "X-Forwarded-For",
  " 203.0.113.9 ",
  "authorization",
  "Bearer two",
  "Cookie",
  "a=1",
];

/** The same request as fetch's own Headers hold it. */
function fetchHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

describe("RequestHeaders", () => {
  it("answers get and has as fetch's Headers do, without building them", () => {
    const lazy = new RequestHeaders(RAW);
    const real = fetchHeaders(RAW);
    for (const name of ["host", "AUTHORIZATION", "x-forwarded-for", "cookie", "missing"]) {
      expect({ name, value: lazy.get(name), has: lazy.has(name) }).toEqual({
        name,
        value: real.get(name),
        has: real.has(name),
      });
    }
    expect(lazy.get("authorization")).toBe("Bearer one, Bearer two");
  });

  it("is the real Headers for everything else, and after a change", () => {
    const lazy = new RequestHeaders(RAW);
    const real = fetchHeaders(RAW);
    expect([...lazy]).toEqual([...real]);
    const changed = new RequestHeaders(RAW);
    changed.set("cookie", "b=2");
    changed.delete("host");
    expect(changed.get("cookie")).toBe("b=2");
    expect(changed.has("host")).toBe(false);
    expect([...changed.keys()]).toEqual(["authorization", "cookie", "x-forwarded-for"]);
    expect(new Headers(new RequestHeaders(RAW)).get("cookie")).toBe("a=1");
  });
});
