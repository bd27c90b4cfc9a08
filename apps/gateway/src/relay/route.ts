/** The services whose routers the gateway relays, by their path segment. */
export const RELAYED_SERVICES = ["auth", "users", "orders"] as const;
export type RelayedService = (typeof RELAYED_SERVICES)[number];

/** Auth procedures callable without an access token. */
export const PUBLIC_AUTH_PROCEDURES: ReadonlySet<string> = new Set([
  "login",
  "refresh",
  "logout",
  "verify",
]);

/** What the relay needs to know about a `/trpc/<service>/<procedures>` request. */
export interface RelayRoute {
  service: RelayedService;
  /** Procedure calls in the request (a batch carries several). */
  calls: number;
  /** True when every call is a public auth procedure. */
  isPublic: boolean;
  logins: number;
  refreshes: number;
}

// `/trpc/<service>/<a>,<b>,...`: procedure paths are plain dotted names, so no
// encoded character, slash or dot-segment ever reaches a service.
const RELAY_PATH =
  /^\/trpc\/(auth|users|orders)\/([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*(?:,[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)*)$/;
const MAX_PATH_LENGTH = 2048;

/** Parses a request path (without its query); null when it is not a relayable call. */
export function parseRelayPath(pathname: string): RelayRoute | null {
  if (pathname.length > MAX_PATH_LENGTH) return null;
  const match = RELAY_PATH.exec(pathname);
  if (!match) return null;
  const service = match[1] as RelayedService;
  const procedures = match[2]!.split(",");
  let isPublic = service === "auth";
  let logins = 0;
  let refreshes = 0;
  for (const procedure of procedures) {
    if (service === "auth") {
      if (!PUBLIC_AUTH_PROCEDURES.has(procedure)) isPublic = false;
      if (procedure === "login") logins++;
      else if (procedure === "refresh") refreshes++;
    }
  }
  return { service, calls: procedures.length, isPublic, logins, refreshes };
}
