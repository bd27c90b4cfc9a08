import fc from "fast-check";

/** SQL fragments: a query built by concatenation would break or leak on these. */
export const SQL_FRAGMENTS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "; DROP TABLE users",
  "'; DROP TABLE orders; --",
  "1 UNION SELECT password_hash FROM users --",
  '" OR ""="',
  "admin'--",
  "%",
  "_",
  "\\",
  "1; SELECT sqlite_version()",
  "') OR ('a'='a",
] as const;

/** Script fragments: stored and rendered as HTML, these would run. */
export const SCRIPT_FRAGMENTS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  '"><svg onload=alert(1)>',
  "</script><script>alert(1)</script>",
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, on purpose
  "${alert(1)}",
  "<iframe srcdoc='<script>alert(1)</script>'>",
] as const;

/** Unicode that trips naive code: RTL override, zero-width, NUL, lone surrogates, look-alikes. */
export const UNICODE_FRAGMENTS = [
  "\u202Egnp.exe",
  "zero\u200Bwidth\u200D",
  "nul\u0000byte",
  "\uFEFFbom",
  "\uD800",
  "\uDFFF\uD800",
  "Ａｄｍｉｎ",
  "ſ",
  "İı",
  "a\u0301\u0301\u0301",
  "line\r\nbreak",
  "\u2028\u2029",
  "😀👨‍👩‍👧‍👦",
  "\u0000",
] as const;

/** Numbers at and past every edge; JSON carries them as literals, strings or null. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  1e308,
  -1e308,
  -0,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 31,
  2 ** 63,
  -1,
  0,
  0.5,
  1.000000000000001,
  5e-324,
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "0x10",
  "1",
  " 1",
  "1e3",
  "",
];

/**
 * Number literals JSON.parse turns into something odd (Infinity, -0, a
 * rounded integer): spliced into a body as raw text, since JSON.stringify
 * could never write them.
 */
export const RAW_NUMBER_LITERALS = [
  "1e999",
  "-1e999",
  "-0",
  "9007199254740993",
  "1e-400",
  "123456789012345678901234567890",
  "0.0000000000000000000001",
] as const;

const fragment = fc.constantFrom(...SQL_FRAGMENTS, ...SCRIPT_FRAGMENTS, ...UNICODE_FRAGMENTS);

/** Strings an attacker would send: fragments, mixed with random text of every unit. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fragment },
  { weight: 2, arbitrary: fc.tuple(fc.string(), fragment, fc.string()).map((p) => p.join("")) },
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom("\u202E", "\u200B", "\u0000", "\uD800", "'", "<", "\\") }),
  // Past every bound the procedures declare (64, 256, 1024, 8192).
  fc.constantFrom(65, 257, 1025, 8193, 20_000).map((n) => "A".repeat(n)),
);

/** Numbers and number-looking strings at the edges. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.double(),
  fc.integer(),
  fc.bigInt().map((n) => n.toString()),
);

/** Objects nested deeper than any schema expects (arrays and objects alternating). */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 2_000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = arrays && i % 2 ? [value] : { a: value };
    return value;
  });

/** Keys that poison prototypes or confuse object mappers. */
export const hostileKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "0",
  "$where",
  "id' OR 1=1 --",
);

/** Any JSON-able value an attacker would put where a field's value goes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  fc.constantFrom(null, true, false, [], {}, [null], JSON.parse('{"__proto__":{"admin":true}}')),
  fc.anything({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 5 }),
  deeplyNested,
);

/** A large array (more items than any `.max()` allows). */
export const oversizedArray = fc
  .constantFrom(21, 101, 1_000)
  .map((n) => Array.from({ length: n }, (_, i) => ({ productId: 1, quantity: 1, i })));

/**
 * Inputs for a procedure whose valid input looks like `valid`: the valid input
 * itself, one field swapped for a hostile value, hostile extra keys, a wholly
 * different value, or nothing at all.
 */
export function hostileInput(valid: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  const base = valid ?? {};
  const keys = Object.keys(base);
  const swapped = keys.length
    ? fc
        .tuple(fc.constantFrom(...keys), hostileValue)
        .map(([key, value]) => ({ ...base, [key]: value }))
    : fc.constant(base);
  const extra = fc
    .tuple(hostileKey, hostileValue)
    .map(([key, value]) => JSON.parse(JSON.stringify({ ...base, [key]: value }) ?? "{}"));
  return fc.oneof(
    { weight: 5, arbitrary: swapped },
    { weight: 2, arbitrary: extra },
    { weight: 2, arbitrary: hostileValue },
    fc.constant(valid),
    fc.constant(undefined),
    oversizedArray,
    fc.dictionary(hostileString, hostileValue, { maxKeys: 8 }),
  );
}

/**
 * JSON text that is not what it claims to be: truncated, trailing garbage,
 * raw number literals, a bare scalar, duplicate keys, comments, NUL bytes.
 */
export function malformedJson(valid: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(valid ?? {});
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.string().map((junk) => `${text}${junk}`),
    fc.constantFrom(...RAW_NUMBER_LITERALS).map((n) => text.replace(/-?\d+(\.\d+)?/, n)),
    fc.constantFrom(...RAW_NUMBER_LITERALS).map((n) => `{"0":${n},"id":${n},"json":${n}}`),
    fc.constantFrom(
      "",
      "null",
      "[]",
      '"string"',
      "{",
      "}",
      "{'single':'quotes'}",
      '{"a":1,"a":2}',
      "/* comment */ {}",
      "{\u0000}",
      "\uFEFF{}",
      '{"__proto__":{"isAdmin":true}}',
      '{"json":{"__proto__":null}}',
      "undefined",
      "NaN",
    ),
    fc.string({ unit: "binary" }),
  );
}

/** Content types a client may lie with. */
export const hostileContentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-16",
  "text/plain",
  "text/html",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/xml",
  "application/json; charset=<script>",
  "",
);

/** Values for the Authorization header. */
export const hostileAuthorization = fc.oneof(
  fc.constantFrom(
    "",
    "Bearer",
    "Bearer ",
    "Bearer null",
    "Bearer undefined",
    "Basic YWRtaW46YWRtaW4xMjM=",
    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.",
    "Bearer a.b.c",
    "Bearer ' OR 1=1 --",
    `Bearer ${"A".repeat(9_000)}`,
    "bearer x.y.z",
  ),
  fc
    .string({ unit: fc.constantFrom("a", ".", "=", "-", "_", " ", "'", "<") })
    .map((s) => `Bearer ${s}`),
);

/** A header-safe rendition of a hostile string (HTTP header values are bytes 0x20-0x7e and tabs). */
export const headerSafe = (value: string) =>
  Array.from(value, (ch) => (ch >= " " && ch <= "~" ? ch : "?")).join("");

/** The string with lone surrogates replaced (what a URL can carry), as ES2024's toWellFormed. */
export const wellFormed = (value: string) =>
  value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
