import type { Session } from "./session.js";

/**
 * Calls `clear` (the query cache's) whenever the session ends or passes to
 * another person, so nothing of one person's data survives their session in
 * this tab. The second case happens when another tab logs in as someone else
 * and hands its session over (tab-sync.ts) without this tab signing out first.
 */
export function clearOnSessionSwitch(
  session: Pick<Session, "getState" | "subscribe">,
  clear: () => void,
): () => void {
  let owner: number | null = null;
  return session.subscribe(() => {
    const state = session.getState();
    const now = state.status === "signedIn" ? state.user.id : null;
    if (owner !== null && now !== owner) clear();
    owner = now;
  });
}
