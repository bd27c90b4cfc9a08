import { createTRPCClient, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { AppRouter } from "./app-router.js";
import { serviceLink } from "./service-link.js";

interface Seen {
  url: URL;
  method: string;
  headers: Headers;
}

/** A fetch that records each request and answers every call of a batch with `{ok: <path>}`. */
function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    seen.push({ url, method: init?.method ?? "GET", headers: new Headers(init?.headers) });
    const paths = url.pathname.split("/").pop()!.split(",");
    const body = paths.map((path) => ({ result: { data: { ok: path } } }));
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  };
}

function clientFor(seen: Seen[]) {
  return createTRPCClient<AppRouter>({
    links: [
      serviceLink({
        url: "http://gateway.test",
        fetch: recordingFetch(seen),
        headers: (service) => ({ "x-service": service }),
      }),
    ],
  });
}

describe("serviceLink", () => {
  it("sends each call to its service's endpoint with the rest of the path", async () => {
    const seen: Seen[] = [];
    const client = clientFor(seen);
    const result = (await client.orders.list.query({ limit: 5 })) as unknown;
    expect(result).toEqual({ ok: "list" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.pathname).toBe("/trpc/orders/list");
    expect(JSON.parse(seen[0]!.url.searchParams.get("input")!)).toEqual({ 0: { limit: 5 } });
    expect(seen[0]!.headers.get("x-service")).toBe("orders");
  });

  it("batches calls to one service together and never mixes services in one request", async () => {
    const seen: Seen[] = [];
    const client = clientFor(seen);
    await Promise.all([
      client.orders.products.query(),
      client.orders.breakerStatus.query(),
      client.users.me.query(),
    ]);
    const paths = seen.map((s) => s.url.pathname).sort();
    expect(paths).toEqual(["/trpc/orders/products,breakerStatus", "/trpc/users/me"]);
    expect(seen.find((s) => s.url.pathname === "/trpc/users/me")!.headers.get("x-service")).toBe(
      "users",
    );
  });

  it("posts mutations to the owning service", async () => {
    const seen: Seen[] = [];
    await clientFor(seen).auth.logout.mutate({});
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url.pathname).toBe("/trpc/auth/logout");
  });

  it("refuses a path no service serves, without a request", async () => {
    const seen: Seen[] = [];
    const client = clientFor(seen) as unknown as {
      bank: { charges: { query(): Promise<unknown> } };
    };
    await expect(client.bank.charges.query()).rejects.toBeInstanceOf(TRPCClientError);
    expect(seen).toHaveLength(0);
  });

  it("infers every procedure's input and output from the services' routers", () => {
    type Inputs = inferRouterInputs<AppRouter>;
    type Outputs = inferRouterOutputs<AppRouter>;
    expectTypeOf<Inputs["orders"]["pay"]>().toEqualTypeOf<{
      orderId: number;
      idempotencyKey?: string | undefined;
    }>();
    expectTypeOf<
      Outputs["orders"]["list"]["orders"][number]["totalCents"]
    >().toEqualTypeOf<number>();
    expectTypeOf<Outputs["auth"]["login"]["refreshToken"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Outputs["users"]["me"]["role"]>().toEqualTypeOf<"admin" | "user">();
  });
});
