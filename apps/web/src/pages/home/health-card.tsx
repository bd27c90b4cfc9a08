import { useQuery } from "@tanstack/react-query";
import { labelFor, useI18n } from "../../i18n/i18n.js";

interface GatewayHealth {
  status: string;
  services?: Record<string, string>;
}

/** The gateway's /health (same origin), which aggregates the services'; 503 still carries the body. */
async function fetchHealth(): Promise<GatewayHealth> {
  const response = await fetch("/health", {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.headers.get("content-type")?.includes("application/json")) {
    throw new Error(`health: ${response.status}`);
  }
  return (await response.json()) as GatewayHealth;
}

export function HealthCard() {
  const { t } = useI18n();
  const health = useQuery({
    queryKey: ["gateway-health"],
    queryFn: fetchHealth,
    refetchInterval: 10_000,
    retry: false,
  });
  // After a failed check the last answer is no longer current: the alert alone is shown.
  const rows: Array<[string, string]> =
    health.data && !health.isError
      ? [["gateway", health.data.status], ...Object.entries(health.data.services ?? {})]
      : [];
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">{t.home.health}</h2>
      {health.isError ? <p role="alert">{t.home.unreachable}</p> : null}
      <ul className="health">
        {rows.map(([name, status]) => {
          const healthy = status === "healthy";
          return (
            <li key={name} data-service={name}>
              <span>{labelFor(t.services, name)}</span>
              <span className={healthy ? "badge ok" : "badge bad"}>
                {healthy ? t.home.healthy : t.home.unhealthy}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
