/**
 * What every JSON answer of an internal service carries, errors included,
 * whichever path wrote it: it is never cached, sniffed as something else or
 * framed. Browsers never talk to a service: they get the full
 * {@link SECURITY_HEADERS} from the edge, which writes them over these, so a
 * service does not spend a dozen headers on every answer to the gateway.
 */
export const SERVICE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
});

/**
 * Response headers for a JSON API at the edge (the gateway): the services'
 * three, plus what keeps a browser from embedding, framing or leaking it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...SERVICE_SECURITY_HEADERS,
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-site",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-dns-prefetch-control": "off",
  "x-frame-options": "DENY",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
});
