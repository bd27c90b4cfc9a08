import {
  type HTTPHeaders,
  httpBatchLink,
  type Operation,
  type OperationLink,
  TRPCClientError,
  type TRPCLink,
} from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { type AppRouter, SERVICES, type ServiceName } from "./app-router.js";

/** Options of {@link serviceLink}. */
export interface ServiceLinkOptions {
  /**
   * Origin the `/trpc/<service>` endpoints live under: the gateway's URL, or
   * "" in a browser whose page is served from the same origin as the API.
   */
  url: string;
  /** Headers for one request to one service (a bearer token, a CSRF header). */
  headers?: (service: ServiceName, ops: readonly Operation[]) => HTTPHeaders | Promise<HTTPHeaders>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Most calls per batched request; the services accept 10. */
  maxItems?: number;
}

function isService(name: string | undefined): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name ?? "");
}

/**
 * A terminating link that splits calls by their first path segment:
 * `orders.list` goes, batched with other orders calls, to `/trpc/orders` as
 * `list`. One batch link per service, so calls to different services never
 * share a request (each service mounts its own router).
 */
export function serviceLink(options: ServiceLinkOptions): TRPCLink<AppRouter> {
  return (runtime) => {
    const links = Object.fromEntries(
      SERVICES.map((service) => [
        service,
        httpBatchLink<AppRouter>({
          url: `${options.url}/trpc/${service}`,
          maxItems: options.maxItems ?? 10,
          // Long GET URLs are cut by proxies; past this the batch goes as POST.
          maxURLLength: 2_000,
          fetch: options.fetch,
          headers: ({ opList }) => options.headers?.(service, opList) ?? {},
        })(runtime),
      ]),
    ) as Record<ServiceName, OperationLink<AppRouter>>;

    return ({ op, next }) => {
      const [service, ...rest] = op.path.split(".");
      if (!isService(service) || rest.length === 0) {
        return observable((observer) => {
          observer.error(new TRPCClientError(`No service serves "${op.path}"`));
        });
      }
      return links[service]({ op: { ...op, path: rest.join(".") }, next });
    };
  };
}
