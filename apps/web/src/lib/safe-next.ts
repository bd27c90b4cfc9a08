// Any origin would do: only whether `next` stays on it matters.
const HERE = "https://this-site.invalid";

/**
 * Where to go after logging in, from `?next=`: a path on this site only.
 * Anything else (another origin, a protocol-relative `//host`, a backslash
 * trick, tabs or newlines the URL parser drops, the login page itself) goes
 * home, so the login page is no open redirect. `next` is read as the browser
 * will read it, with the URL parser, not by its first characters alone.
 */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return "/";
  }
  if (url.origin !== HERE || url.pathname.startsWith("/login")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
