// Fetch's Headers strip these from both ends of a value (HTTP whitespace).
const WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * The fetch Headers of a node:http request, read from its raw list instead
 * of being built up front: `get` and `has` scan the list, since a hot read
 * asks for two or three headers and building Headers costs more than the
 * rest of the request's parsing (each append validates and normalizes).
 * Anything else builds the real Headers first and goes to them. Either way
 * it answers as fetch's Headers would: names without case, repeated headers
 * joined by ", ".
 */
export class RequestHeaders implements Headers {
  #raw: readonly string[] | null;
  #headers: Headers | null = null;

  constructor(rawHeaders: readonly string[]) {
    this.#raw = rawHeaders;
  }

  /** The real Headers, built on the first use that needs them. */
  #real(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      const raw = this.#raw ?? [];
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#headers = headers;
      this.#raw = null;
    }
    return this.#headers;
  }

  get(name: string): string | null {
    const raw = this.#raw;
    if (!raw) return this.#real().get(name);
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]!.toLowerCase() !== wanted) continue;
      const one = raw[i + 1]!.replace(WHITESPACE, "");
      value = value === null ? one : `${value}, ${one}`;
    }
    return value;
  }

  has(name: string): boolean {
    return this.#raw ? this.get(name) !== null : this.#real().has(name);
  }

  append(name: string, value: string): void {
    this.#real().append(name, value);
  }

  set(name: string, value: string): void {
    this.#real().set(name, value);
  }

  delete(name: string): void {
    this.#real().delete(name);
  }

  getSetCookie(): string[] {
    return this.#real().getSetCookie();
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown) {
    this.#real().forEach(callback, thisArg);
  }

  entries() {
    return this.#real().entries();
  }

  keys() {
    return this.#real().keys();
  }

  values() {
    return this.#real().values();
  }

  [Symbol.iterator]() {
    return this.#real()[Symbol.iterator]();
  }
}
