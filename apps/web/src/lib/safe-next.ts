/**
 * Where to go after logging in, from `?next=`: a path on this site only.
 * Anything else (another origin, a protocol-relative `//host`, a backslash
 * trick, the login page itself) goes home, so the login page is no open redirect.
 */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next.startsWith("/login") ? "/" : next;
}
