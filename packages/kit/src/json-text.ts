/**
 * A procedure result that is already JSON text, for instance a page that
 * SQLite built. The single-call route writes the text as it is, without a
 * parse and a stringify of the whole answer; everywhere else (batches, tRPC's
 * fetch adapter, a server-side caller) JSON.stringify reaches the value
 * through `toJSON`, so every path sends the same JSON value. Clients see `T`:
 * tRPC infers a result's wire type from its `toJSON`.
 *
 * The text must be one JSON value, written as JSON.stringify writes it (no
 * spaces), so both paths answer byte for byte alike.
 */
export class JsonText<T> {
  constructor(readonly text: string) {}

  toJSON(): T {
    return JSON.parse(this.text) as T;
  }
}
