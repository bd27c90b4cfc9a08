import type { Hono } from "hono";
import { type ForwardHeaders, forward, type ServiceClients } from "./clients.js";
import type { RestEnv } from "./context.js";
import { call } from "./errors.js";
import { intQuery, pathIdOf } from "./fields.js";
import {
  restBreaker,
  restHistoryEntry,
  restOrder,
  restProduct,
  restStats,
  restUser,
} from "./shapes.js";

/** What a REST read takes from its request, whichever path serves it. */
export interface ReadRequest {
  /** A query parameter (its first value), undefined when absent. */
  query(name: string): string | undefined;
  /** The path's `:id`, as its text. */
  id(): string | undefined;
  /** Headers every call made for this request passes on (the token included). */
  headers: ForwardHeaders;
}

/**
 * A protected REST GET answered by one service query: its path under
 * `/gateway`, and the JSON body it answers. Each is written once and served
 * two ways: on Hono ({@link mountReads}) and below it (see read-route.ts),
 * which answers alike (tested).
 */
export interface RestRead {
  path: string;
  answer(request: ReadRequest): Promise<object>;
}

/** `?limit=&cursor=` of a paged read: 400 for a limit outside 1-100. */
function pageInput(query: ReadRequest["query"], defaultLimit: number) {
  return {
    limit: intQuery(query("limit"), "limit", { min: 1, max: 100 }) ?? defaultLimit,
    cursor: query("cursor") || undefined,
  };
}

/** The REST reads of CONTRACT.md that existing clients call most. */
export function restReads(clients: ServiceClients): RestRead[] {
  const { orders, users } = clients;
  return [
    {
      path: "/products",
      answer: async ({ headers }) => {
        const { products } = await call(orders.products.query(undefined, forward(headers)));
        return { products: products.map(restProduct) };
      },
    },
    {
      path: "/payments/status",
      answer: async ({ headers }) =>
        restBreaker(await call(orders.breakerStatus.query(undefined, forward(headers)))),
    },
    {
      path: "/orders/history",
      answer: async ({ query, headers }) => {
        const page = await call(orders.history.query(pageInput(query, 100), forward(headers)));
        return {
          history: page.history.map(restHistoryEntry),
          total: page.total,
          next_cursor: page.nextCursor,
        };
      },
    },
    {
      path: "/orders/stats",
      answer: async ({ headers }) =>
        restStats(await call(orders.stats.query(undefined, forward(headers)))),
    },
    {
      path: "/orders",
      answer: async ({ query, headers }) => {
        const page = await call(orders.list.query(pageInput(query, 20), forward(headers)));
        return {
          orders: page.orders.map(restOrder),
          total: page.total,
          next_cursor: page.nextCursor,
        };
      },
    },
    {
      path: "/orders/:id",
      answer: async ({ id, headers }) =>
        restOrder(await call(orders.byId.query({ id: pathIdOf(id()) }, forward(headers)))),
    },
    {
      path: "/users/profile",
      answer: async ({ headers }) =>
        restUser(await call(users.me.query(undefined, forward(headers)))),
    },
  ];
}

/** Serves the reads on Hono, each at `/gateway` + its path, before the other routes. */
export function mountReads(app: Hono<RestEnv>, reads: readonly RestRead[]): void {
  for (const read of reads) {
    app.get(read.path, async (c) =>
      c.json(
        await read.answer({
          query: (name) => c.req.query(name),
          id: () => c.req.param("id"),
          headers: c.get("forward"),
        }),
      ),
    );
  }
}
