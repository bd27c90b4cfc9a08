import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUT_MS, deadlineFromTimeoutHeader, MAX_TIMEOUT_MS } from "./timeout-header.js";

const NOW = 1_700_000_000_000;

describe("deadlineFromTimeoutHeader", () => {
  it("counts the caller's wait from our arrival", () => {
    expect(deadlineFromTimeoutHeader("2500", NOW)).toBe(NOW + 2_500);
    expect(deadlineFromTimeoutHeader("0", NOW)).toBe(NOW);
  });

  it("bounds a call without the header by the default", () => {
    expect(deadlineFromTimeoutHeader(null, NOW)).toBe(NOW + DEFAULT_TIMEOUT_MS);
  });

  it("cuts a longer wait to the maximum", () => {
    expect(deadlineFromTimeoutHeader("99999999", NOW)).toBe(NOW + MAX_TIMEOUT_MS);
  });

  it("refuses anything but 1 to 8 digits", () => {
    for (const header of ["", " ", "-1", "+1", "1.0", "1e3", "Infinity", "NaN", "123456789"]) {
      expect(deadlineFromTimeoutHeader(header, NOW), header).toBeNull();
    }
  });
});
