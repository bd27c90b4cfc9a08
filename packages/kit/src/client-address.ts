/**
 * The client's address for rate limits and audit. `x-forwarded-for` is read
 * only when the direct peer is a trusted proxy (the gateway); otherwise anyone
 * could pick their own address and dodge per-address throttling. The
 * right-most untrusted hop is the client.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined | null,
  trustedProxies: ReadonlySet<string>,
): string {
  const direct = normalize(peer ?? "unknown");
  if (!forwardedFor || !trustedProxies.has(direct)) return direct;
  const hops = forwardedFor
    .split(",")
    .map((hop) => normalize(hop.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!trustedProxies.has(hop)) return hop.slice(0, 64);
  }
  return direct;
}

function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** Loopback addresses, the default trusted proxies for a single-machine run. */
export const LOOPBACK = new Set(["127.0.0.1", "::1"]);
