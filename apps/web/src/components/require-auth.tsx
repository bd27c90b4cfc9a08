import type { ReactNode } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { useSessionState } from "../auth/use-session.js";
import { ForbiddenPage } from "../pages/forbidden.js";
import { Loading } from "./loading.js";

/** Renders `children` for a signed-in person (an admin when `admin`), else sends them to log in. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const state = useSessionState();
  const [location] = useLocation();
  const search = useSearch();
  if (state.status === "loading") return <Loading />;
  if (state.status === "signedOut") {
    const next = `${location}${search ? `?${search}` : ""}`;
    return <Redirect to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (admin && state.user.role !== "admin") return <ForbiddenPage />;
  return <>{children}</>;
}
