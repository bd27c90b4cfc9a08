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

/** Longest incoming `x-forwarded-for` chain a proxy passes on. */
const MAX_FORWARDED_FOR = 1024;

/**
 * The `x-forwarded-for` a proxy sends on: the incoming chain, capped to its
 * right end (whole entries, at most 1024 characters), then the peer. The
 * right end is what {@link clientAddress} reads, so padding on the left
 * changes nothing and a long chain is never dropped for the proxy's own address.
 */
export function appendForwardedFor(incoming: string | null | undefined, peer: string): string {
  if (!incoming) return peer;
  let kept = incoming;
  if (incoming.length > MAX_FORWARDED_FOR) {
    const cut = incoming.indexOf(",", incoming.length - MAX_FORWARDED_FOR - 1);
    kept = cut === -1 ? "" : incoming.slice(cut + 1).trimStart();
  }
  return kept === "" ? peer : `${kept}, ${peer}`;
}

/** Loopback addresses, the default trusted proxies for a single-machine run. */
export const LOOPBACK = new Set(["127.0.0.1", "::1"]);
