import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { clearOnSessionSwitch } from "./auth/clear-on-switch.js";
import { SessionProvider } from "./auth/use-session.js";
import { I18nProvider } from "./i18n/i18n.js";
import { errorInfo } from "./lib/errors.js";
import { createApi, TRPCProvider } from "./lib/trpc.js";
import "./styles.css";

/** Only failures that may pass on their own are retried: no server answer, or a 5xx. */
function shouldRetry(failures: number, error: unknown): boolean {
  const { code } = errorInfo(error);
  const transient =
    code === null ||
    code === "SERVICE_UNAVAILABLE" ||
    code === "GATEWAY_TIMEOUT" ||
    code === "BAD_GATEWAY";
  return transient && failures < 2;
}

const { session, client } = createApi();
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 5_000, retry: shouldRetry },
    mutations: { retry: false },
  },
});

clearOnSessionSwitch(session, () => queryClient.clear());
void session.start();

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider session={session}>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={client} queryClient={queryClient}>
            <App />
          </TRPCProvider>
        </QueryClientProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
