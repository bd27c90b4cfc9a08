import { useQuery } from "@tanstack/react-query";
import { labelFor, useI18n } from "../../i18n/i18n.js";
import { useTRPC } from "../../lib/trpc.js";

const STATE_CLASS: Record<string, string> = { closed: "ok", open: "bad", half_open: "warn" };

/** The payment circuit breaker, polled faster while it is not closed. */
export function BreakerCard() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const breaker = useQuery(
    trpc.orders.breakerStatus.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.state === "closed" ? 5_000 : 1_000),
    }),
  );
  const data = breaker.data;
  return (
    <section className="card" aria-labelledby="breaker-title">
      <h2 id="breaker-title">{t.home.breaker}</h2>
      {/* A failed read is said, and the last state read is no longer shown as current. */}
      {breaker.isError ? <p role="alert">{t.home.breakerUnreadable}</p> : null}
      {data && !breaker.isError ? (
        <dl className="facts" data-testid="breaker">
          <dt>{t.home.breakerState}</dt>
          <dd>
            <span className={`badge ${STATE_CLASS[data.state] ?? ""}`} data-state={data.state}>
              {labelFor(t.breaker, data.state)}
            </span>
          </dd>
          <dt>{t.home.failures}</dt>
          <dd>{data.failures}</dd>
          <dt>{t.home.calls}</dt>
          <dd>{data.calls}</dd>
          <dt>{t.home.threshold}</dt>
          <dd>{t.home.thresholdValue(data.threshold)}</dd>
          {data.state === "open" && data.retryInS !== null ? (
            <>
              <dt>{t.home.retryIn}</dt>
              <dd>{t.home.seconds(Math.ceil(data.retryInS))}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <p className="help">{t.home.breakerHelp}</p>
    </section>
  );
}
