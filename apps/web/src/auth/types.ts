import type { AppRouter } from "@shop/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;

/** What login and refresh answer: the token pair and the signed-in user. */
export type SessionGrant = Outputs["auth"]["login"];
export type SessionUser = SessionGrant["user"];

/** Why the person is on the login page, said to them there. */
export type SignedOutReason = "expired" | "elsewhere" | "unavailable" | "loggedOut";

export type SessionState =
  | { status: "loading" }
  | { status: "signedOut"; reason: SignedOutReason | null }
  | { status: "signedIn"; user: SessionUser; accessToken: string; expiresAt: number };
