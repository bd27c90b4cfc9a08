import { isIP } from "node:net";

/**
 * The client's address for rate limits, sessions and audit. `x-forwarded-for`
 * is read only when the direct peer is a trusted proxy (the gateway);
 * otherwise anyone could pick their own address and dodge per-address
 * throttling. The right-most untrusted hop is the client. A hop that is not
 * an IP address (a forged or mangled header) is not believed: the address is
 * then the proxy that passed it on, the last hop that can be vouched for. So
 * the result is an IP address (or "unknown" for a socket without one), never
 * text a client chose.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined | null,
  trustedProxies: ReadonlySet<string>,
): string {
  const direct = peerAddress(peer);
  if (!forwardedFor || !trustedProxies.has(direct)) return direct;
  const hops = forwardedFor.split(",");
  let vouched = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i]!.trim());
    if (hop === "") continue;
    if (isIP(hop) === 0) return vouched;
    if (!trustedProxies.has(hop)) return hop;
    vouched = hop;
  }
  return vouched;
}

function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** A socket's peer address as the rest of the system writes it: IPv4 without `::ffff:`, "unknown" when absent. */
export function peerAddress(address: string | undefined): string {
  return address ? normalize(address) : "unknown";
}

/** Loopback addresses, the default trusted proxies for a single-machine run. */
export const LOOPBACK = new Set(["127.0.0.1", "::1"]);
