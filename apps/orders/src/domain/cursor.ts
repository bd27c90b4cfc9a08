import { AppError } from "@shop/kit";

// Ids only grow (AUTOINCREMENT), so "rows with an id below the last one seen"
// is a page boundary that new rows can never shift. The cursor is opaque to
// clients so the encoding can change without breaking them.

/** Encodes the id of the last row of a page. */
export function encodeCursor(id: number): string {
  return Buffer.from(`v1:${id}`).toString("base64url");
}

/** Decodes a cursor from {@link encodeCursor}, or throws BAD_REQUEST. */
export function decodeCursor(cursor: string): number {
  const match = /^v1:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new AppError("BAD_REQUEST", "Invalid cursor");
  return id;
}

/** The next cursor for a page fetched with `limit + 1` rows. */
export function nextCursorOf<T extends { id: number }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
