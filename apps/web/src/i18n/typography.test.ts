import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { fr } from "./fr.js";

/** Every text of a catalog, functions called with a sample for each argument. */
function texts(messages: object, path = ""): Array<[string, string]> {
  return Object.entries(messages).flatMap(([key, value]): Array<[string, string]> => {
    const at = path ? `${path}.${key}` : key;
    if (typeof value === "string") return [[at, value]];
    if (typeof value === "function") return [[at, String(value(7, 7, 7))]];
    return value && typeof value === "object" ? texts(value, at) : [];
  });
}

describe("typography", () => {
  it("French puts a no-break space before : ; ? ! and never breaks a line there", () => {
    const all = texts(fr);
    expect(all.length).toBeGreaterThan(100);
    for (const [at, text] of all) {
      // A plain space would let the line break before the sign; none at all is wrong too.
      expect({ at, text }).not.toMatchObject({ text: expect.stringMatching(/ [:;?!]/) });
      expect({ at, text }).not.toMatchObject({
        text: expect.stringMatching(/[^\s\u00a0\u202f][:;?!](\s|$)/),
      });
    }
    expect(fr.app.colon).toBe("\u00a0: ");
  });

  it("a number and its unit stay on one line, in both languages", () => {
    for (const [at, text] of [...texts(en), ...texts(fr)]) {
      expect({ at, text }).not.toMatchObject({ text: expect.stringMatching(/\d (s|ms|min)\b/) });
    }
    expect(en.app.colon).toBe(": ");
  });
});
