import { createContext, type ReactNode, useContext, useSyncExternalStore } from "react";
import type { Session } from "./session.js";
import type { SessionState, SessionUser } from "./types.js";

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

export function useSessionState(): SessionState {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, session.getState);
}

/** The signed-in user; only for components rendered inside RequireAuth. */
export function useUser(): SessionUser {
  const state = useSessionState();
  if (state.status !== "signedIn") throw new Error("useUser outside a signed-in page");
  return state.user;
}
