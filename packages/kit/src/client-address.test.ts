import { describe, expect, it } from "vitest";
import { appendForwardedFor, clientAddress, LOOPBACK } from "./client-address.js";

const PROXIES = new Set(["127.0.0.1", "::1", "10.0.0.2"]);

describe("clientAddress", () => {
  it("is the peer when the peer is not a trusted proxy, whatever it forwards", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", LOOPBACK)).toBe("203.0.113.5");
    expect(clientAddress("::ffff:203.0.113.5", null, LOOPBACK)).toBe("203.0.113.5");
  });

  it("is the right-most hop a trusted proxy added that is not itself a proxy", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.1", PROXIES)).toBe("198.51.100.1");
    // The client can write any left-most hops; only what the proxies appended counts.
    expect(clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", PROXIES)).toBe(
      "198.51.100.1",
    );
    expect(clientAddress("::1", "2001:db8::7", PROXIES)).toBe("2001:db8::7");
    expect(clientAddress("127.0.0.1", " ::ffff:198.51.100.9 ,", PROXIES)).toBe("198.51.100.9");
  });

  it("believes no hop that is not an IP address: the proxy that passed it on is the client", () => {
    const forged = [
      "<script>alert(1)</script>",
      "198.51.100.1:8080",
      "[2001:db8::1]",
      "198.51.100.256",
      "01.2.3.4",
      "unknown",
      "x".repeat(300),
      "198.51.100.1\u0000",
      "\u202e1.1.1.1",
    ];
    for (const hop of forged) {
      expect(clientAddress("127.0.0.1", hop, PROXIES), hop).toBe("127.0.0.1");
      expect(clientAddress("127.0.0.1", `${hop}, 10.0.0.2`, PROXIES), hop).toBe("10.0.0.2");
      // A forged hop left of the real one changes nothing.
      expect(clientAddress("127.0.0.1", `${hop}, 198.51.100.1`, PROXIES), hop).toBe("198.51.100.1");
    }
  });

  it("is the left-most proxy when every hop is a proxy, and the peer for an empty header", () => {
    expect(clientAddress("127.0.0.1", "10.0.0.2, ::1", PROXIES)).toBe("10.0.0.2");
    expect(clientAddress("127.0.0.1", " , ", PROXIES)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "", PROXIES)).toBe("127.0.0.1");
  });
});

describe("appendForwardedFor", () => {
  it("appends the peer, and keeps a long chain's right end in whole entries", () => {
    expect(appendForwardedFor(undefined, "10.0.0.2")).toBe("10.0.0.2");
    expect(appendForwardedFor("203.0.113.7", "10.0.0.2")).toBe("203.0.113.7, 10.0.0.2");
    const padded = `${"1.1.1.1, ".repeat(300)}203.0.113.7`;
    const kept = appendForwardedFor(padded, "10.0.0.2");
    expect(kept.length).toBeLessThanOrEqual(1024 + ", 10.0.0.2".length);
    expect(kept.endsWith("1.1.1.1, 203.0.113.7, 10.0.0.2")).toBe(true);
    expect(kept.startsWith("1.1.1.1")).toBe(true);
    expect(clientAddress("127.0.0.1", kept, PROXIES)).toBe("203.0.113.7");
    // One entry longer than the cap says nothing usable: only the peer goes on.
    expect(appendForwardedFor("x".repeat(2000), "10.0.0.2")).toBe("10.0.0.2");
  });
});
