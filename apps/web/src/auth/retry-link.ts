import type { AppRouter } from "@shop/api";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import type { Session } from "./session.js";

/** True for a refused token (401), whether a service or the gateway said it. */
export function isUnauthorized(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = error.data as { httpStatus?: number } | undefined;
  const response = (error.meta as { response?: { status?: number } } | undefined)?.response;
  return data?.httpStatus === 401 || response?.status === 401;
}

/**
 * On a 401, refreshes the access token once (single-flight, see Session) and
 * replays the call; a second 401 goes to the caller. This covers a token that
 * expired while the tab slept and its timers did not run.
 */
export function retryOnUnauthorizedLink(session: Session): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const tokenUsed = session.accessToken();
        let current: Unsubscribable | undefined;
        let stopped = false;
        current = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error(error) {
            if (!tokenUsed || !isUnauthorized(error)) {
              observer.error(error);
              return;
            }
            session.refresh(tokenUsed).then(
              (fresh) => {
                if (stopped) return;
                if (!fresh) {
                  observer.error(error);
                  return;
                }
                current = next(op).subscribe(observer);
              },
              () => observer.error(error),
            );
          },
        });
        return () => {
          stopped = true;
          current?.unsubscribe();
        };
      });
}
