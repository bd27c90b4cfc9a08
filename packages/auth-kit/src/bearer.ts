/**
 * Reads the token from an `Authorization: Bearer <token>` header value, the only
 * place a token is ever read from (never a query string or cookie).
 * Returns null when the header is absent or not a bearer credential.
 */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +([^ ]+) *$/i.exec(header);
  return match?.[1] ?? null;
}
