import { describe, expect, it } from "vitest";
import { detectLanguage } from "./language.js";

describe("detectLanguage", () => {
  it("prefers the remembered choice", () => {
    expect(detectLanguage("fr", ["en-US"])).toBe("fr");
  });

  it("else takes the first browser language it speaks", () => {
    expect(detectLanguage(null, ["de-DE", "fr-CA", "en"])).toBe("fr");
    expect(detectLanguage(null, ["EN-gb"])).toBe("en");
  });

  it("ignores a stored value it does not know and falls back to English", () => {
    expect(detectLanguage("xx", ["de", "es"])).toBe("en");
  });
});
