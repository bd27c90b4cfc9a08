import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Harness } from "./harness.js";

/** What a test does to the calls auth makes to users. */
export interface UsersProxyHooks {
  /** Runs before a call is relayed (to act while auth waits for users). */
  beforeRelay?(url: string): Promise<void>;
  /** Rewrites users' answer (to play an older or newer users). */
  rewrite?(body: string): string;
}

/**
 * Puts a relay between the harness's auth and its users service, and points
 * auth at it. `close` stops the relay.
 */
export async function proxyUsers(h: Harness, hooks: UsersProxyHooks) {
  const target = h.users!.url;
  const server = createServer(async (req, res) => {
    await hooks.beforeRelay?.(req.url ?? "");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "connection"),
    ) as Record<string, string>;
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = await upstream.text();
    res.writeHead(upstream.status, { "content-type": "application/json" });
    res.end(hooks.rewrite ? hooks.rewrite(body) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  h.useUserService(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
